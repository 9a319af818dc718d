-- The audit index: every AuditRecord of hub.audit, column by column, so the record (and its hash) can be rebuilt.

CREATE TABLE audit_record (
  chain_id           text        NOT NULL,
  sequence           bigint      NOT NULL,
  trace_id           text        NOT NULL,
  span_id            text        NOT NULL,
  disclosure_id      text        NOT NULL,
  decision           text        NOT NULL,
  reason             text,
  detail             text,
  event_id           text,
  event_type         text,
  case_reference     text,
  sender             text        NOT NULL,
  recipient          text,
  purpose            text,
  legal_basis        text,
  covenant_id        text,
  covenant_version   integer,
  covenant_hash      text,
  rule_ids           text[]      NOT NULL,
  disclosed_fields   text[]      NOT NULL,
  transformed_fields text[]      NOT NULL,
  withheld_fields    text[]      NOT NULL,
  retention          text,
  subject_pseudonym  text,
  occurred_at        timestamptz,
  decided_at         timestamptz NOT NULL,
  source_topic       text        NOT NULL,
  source_partition   integer     NOT NULL,
  source_offset      bigint      NOT NULL,
  previous_hash      text        NOT NULL,
  hash               text        NOT NULL,
  -- Where the record was read from hub.audit, to find it there again.
  audit_partition    integer     NOT NULL,
  audit_offset       bigint      NOT NULL,
  ingested_at        timestamptz NOT NULL DEFAULT now(),
  -- One record per chain position: a record read again (a replay) is not stored twice.
  PRIMARY KEY (chain_id, sequence)
);

-- The searches, newest first: by subject, case, partner pair, purpose, decision and time.
CREATE INDEX audit_record_subject  ON audit_record (subject_pseudonym, decided_at DESC);
CREATE INDEX audit_record_case     ON audit_record (case_reference, decided_at DESC);
CREATE INDEX audit_record_partners ON audit_record (sender, recipient, decided_at DESC);
CREATE INDEX audit_record_purpose  ON audit_record (purpose, decided_at DESC);
CREATE INDEX audit_record_decision ON audit_record (decision, decided_at DESC);
CREATE INDEX audit_record_decided  ON audit_record (decided_at DESC);
CREATE INDEX audit_record_disclosure ON audit_record (disclosure_id);

-- How far each hub.audit partition is indexed: written in the same transaction as the records, and where the
-- console resumes after a restart or a crash (not Kafka's committed offsets).
CREATE TABLE ingest_position (
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  next_offset bigint      NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition)
);

-- Records of hub.audit the console could not read: kept, with why, instead of being skipped silently.
CREATE TABLE ingest_problem (
  topic       text        NOT NULL,
  partition   integer     NOT NULL,
  "offset"    bigint      NOT NULL,
  problem     text        NOT NULL,
  detail      text        NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (topic, partition, "offset")
);

-- The last record indexed per chain, so that removing the newest records is detected too.
CREATE TABLE chain_head (
  chain_id text   NOT NULL PRIMARY KEY,
  sequence bigint NOT NULL,
  hash     text   NOT NULL
);

-- Per chain, the last record removed by retention: the integrity check starts from here.
CREATE TABLE retention_checkpoint (
  chain_id        text        NOT NULL PRIMARY KEY,
  sequence        bigint      NOT NULL,
  hash            text        NOT NULL,
  decided_at      timestamptz NOT NULL,
  removed_total   bigint      NOT NULL,
  checkpointed_at timestamptz NOT NULL
);

-- A second, different record at a chain position already taken: a fork. The first stays indexed; the other is
-- kept here by its hash and its place in hub.audit, and the chain is reported broken (FORKED) from there on.
CREATE TABLE chain_fork (
  chain_id        text        NOT NULL,
  sequence        bigint      NOT NULL,
  stored_hash     text        NOT NULL,
  other_hash      text        NOT NULL,
  audit_partition integer     NOT NULL,
  audit_offset    bigint      NOT NULL,
  detected_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, sequence, other_hash)
);

-- Covenant administration (docs/covenant-admin.md). A version's text is immutable once proposed: its content hash
-- (RFC 8785 canonical form, SHA-256) is what the hub's audit names. What happens to a version (proposed, approved,
-- accepted by a party, rejected, withdrawn, activated, superseded, revoked by a party) is an append-only trail of
-- events, each hashed together with the hash of the one before: a changed, removed or inserted event breaks the
-- chain. Neither table lets a row be changed or removed, whoever asks.
CREATE TABLE covenant_version (
  version_id       bigserial   PRIMARY KEY,
  covenant_id      text        NOT NULL,
  version          integer     NOT NULL,
  content_hash     text        NOT NULL,
  yaml             text        NOT NULL,
  file_name        text        NOT NULL,
  effective_from   timestamptz,
  required_parties text[]      NOT NULL,
  UNIQUE (covenant_id, version)
);

CREATE TABLE covenant_event (
  seq           bigint      PRIMARY KEY,
  version_id    bigint      NOT NULL REFERENCES covenant_version (version_id),
  action        text        NOT NULL,
  actor         text        NOT NULL,
  party         text,
  at            timestamptz NOT NULL,
  note          text        NOT NULL,
  previous_hash text        NOT NULL,
  hash          text        NOT NULL UNIQUE
);

CREATE INDEX covenant_event_of_version ON covenant_event (version_id, seq);

CREATE FUNCTION covenant_administration_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: rows cannot be changed or removed', TG_TABLE_NAME;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER covenant_version_rows_stay BEFORE UPDATE OR DELETE ON covenant_version
  FOR EACH ROW EXECUTE FUNCTION covenant_administration_is_append_only();
CREATE TRIGGER covenant_version_table_stays BEFORE TRUNCATE ON covenant_version
  FOR EACH STATEMENT EXECUTE FUNCTION covenant_administration_is_append_only();
CREATE TRIGGER covenant_event_rows_stay BEFORE UPDATE OR DELETE ON covenant_event
  FOR EACH ROW EXECUTE FUNCTION covenant_administration_is_append_only();
CREATE TRIGGER covenant_event_table_stays BEFORE TRUNCATE ON covenant_event
  FOR EACH STATEMENT EXECUTE FUNCTION covenant_administration_is_append_only();

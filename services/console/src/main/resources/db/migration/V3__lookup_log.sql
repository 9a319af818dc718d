-- Who looked up whom in the audit, and what they exported (AVG art. 5(2)): the privacy officer's own
-- lookups, by pseudonym, never by BSN. Append-only: the database itself refuses to change or remove a row,
-- whoever asks, so the officer (or anyone with the console's database user) cannot edit it through SQL.
CREATE TABLE lookup_log (
  id                 bigserial PRIMARY KEY,
  looked_up_at       timestamptz NOT NULL,
  username           text NOT NULL,
  action             text NOT NULL,
  subject_pseudonym  text,
  case_reference     text,
  disclosure_id      text,
  filters            text NOT NULL,
  results            bigint NOT NULL
);

CREATE INDEX lookup_log_newest ON lookup_log (looked_up_at DESC, id DESC);

CREATE FUNCTION lookup_log_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'lookup_log is append-only: rows cannot be changed or removed';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER lookup_log_rows_stay BEFORE UPDATE OR DELETE ON lookup_log
  FOR EACH ROW EXECUTE FUNCTION lookup_log_is_append_only();
CREATE TRIGGER lookup_log_table_stays BEFORE TRUNCATE ON lookup_log
  FOR EACH STATEMENT EXECUTE FUNCTION lookup_log_is_append_only();

-- 'Niet-pluis' signals (docs/niet-pluis.md): what residents, entrepreneurs and civil servants report at
-- /melden, and the integral-safety officer's triage. Nothing that identifies an anonymous reporter: no IP
-- address, no user agent, no session; reporter_contact is null unless the reporter chose to give it. The
-- receipt code is kept only as its SHA-256 (the code has 128 random bits, so the hash cannot be reversed by
-- trying codes): a database reader cannot use it to add to a report.
CREATE TABLE signal (
  id                 bigserial PRIMARY KEY,
  reference          text NOT NULL UNIQUE,
  received_at        timestamptz NOT NULL,
  receipt_hash       text NOT NULL UNIQUE,
  kind               text NOT NULL,
  street             text,
  house_number       text,
  postcode           text,
  city               text,
  area               text,
  company_name       text,
  kvk_number         text,
  description        text NOT NULL,
  reporter_contact   text,
  status             text NOT NULL,
  merged_into        bigint REFERENCES signal (id) ON DELETE CASCADE,
  summary            text,
  dismiss_reason     text,
  decided_at         timestamptz,
  riec_case          text,
  outcome_note       text
);

CREATE INDEX signal_by_status ON signal (status, received_at);

-- What a reporter added later with the receipt code.
CREATE TABLE signal_addition (
  id         bigserial PRIMARY KEY,
  signal_id  bigint NOT NULL REFERENCES signal (id) ON DELETE CASCADE,
  added_at   timestamptz NOT NULL,
  text       text NOT NULL
);

-- Who viewed or changed which signal of the werkbestand, and when: the signal's reference only, never its
-- content. Append-only, like lookup_log.
CREATE TABLE signal_view_log (
  id          bigserial PRIMARY KEY,
  viewed_at   timestamptz NOT NULL,
  username    text NOT NULL,
  action      text NOT NULL,
  reference   text
);

CREATE FUNCTION signal_view_log_is_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'signal_view_log is append-only: rows cannot be changed or removed';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER signal_view_log_rows_stay BEFORE UPDATE OR DELETE ON signal_view_log
  FOR EACH ROW EXECUTE FUNCTION signal_view_log_is_append_only();
CREATE TRIGGER signal_view_log_table_stays BEFORE TRUNCATE ON signal_view_log
  FOR EACH STATEMENT EXECUTE FUNCTION signal_view_log_is_append_only();

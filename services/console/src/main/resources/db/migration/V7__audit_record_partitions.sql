-- audit_record partitioned by month of decided_at (UTC), so that retention drops a whole month's partition
-- instead of deleting row by row, and each month's indexes stay the size of a month.
--
-- A partitioned table's unique key must hold the partition key, so the key becomes (chain_id, sequence, decided_at).
-- That a chain position is taken once is kept by the ingest, which compares every record with the chain's head and
-- the record already stored at its position (a replay is skipped, a different record is a fork: chain_fork).

CREATE TABLE audit_record_v6 (LIKE audit_record INCLUDING DEFAULTS);
INSERT INTO audit_record_v6 SELECT * FROM audit_record;
DROP TABLE audit_record;

CREATE TABLE audit_record (LIKE audit_record_v6 INCLUDING DEFAULTS) PARTITION BY RANGE (decided_at);
ALTER TABLE audit_record ADD PRIMARY KEY (chain_id, sequence, decided_at);

-- The partition of the month (UTC) that holds this instant, created when missing; its name, audit_record_yYYYYmMM.
-- The ingest calls it for the months of a batch it has not seen before.
CREATE FUNCTION audit_record_month(decided timestamptz) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  first timestamptz := date_trunc('month', decided AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  name  text := 'audit_record_' || to_char(first AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF audit_record FOR VALUES FROM (%L) TO (%L)',
                   name, first, first + interval '1 month');
  END IF;
  RETURN name;
END $$;

SELECT audit_record_month(month AT TIME ZONE 'UTC')
  FROM (SELECT DISTINCT date_trunc('month', decided_at AT TIME ZONE 'UTC') AS month FROM audit_record_v6) m;
INSERT INTO audit_record SELECT * FROM audit_record_v6;
DROP TABLE audit_record_v6;

-- The searches, newest first: by subject, case, partner pair and time (as in V1, per partition). Searches by purpose
-- or decision alone go by time (audit_record_decided): every purpose and the decisions DISCLOSED and WITHHELD are
-- common, so the newest page is found after a short scan; only REJECTED is rare, and has a partial index of its own.
-- Two fewer B-trees made the ingest about a tenth faster, and plain COPY a sixth (docs/benchmarks.md).
CREATE INDEX audit_record_subject  ON audit_record (subject_pseudonym, decided_at DESC);
CREATE INDEX audit_record_case     ON audit_record (case_reference, decided_at DESC);
CREATE INDEX audit_record_partners ON audit_record (sender, recipient, decided_at DESC);
CREATE INDEX audit_record_decided  ON audit_record (decided_at DESC);
CREATE INDEX audit_record_rejected ON audit_record (decided_at DESC) WHERE decision = 'REJECTED';
CREATE INDEX audit_record_disclosure ON audit_record (disclosure_id);

-- Decisions per day (in the console's time zone, console.time-zone), partner pair, purpose and decision: what the
-- chart and /api/stats show, kept by the ingest in the transaction of the records it counts, and by retention in the
-- transaction that drops a month. Statistics over millions of records then read a few thousand rows.
-- A record without a recipient or a purpose (REJECTED) counts under ''.
CREATE TABLE audit_day_count (
  day       date   NOT NULL,
  sender    text   NOT NULL,
  recipient text   NOT NULL,
  purpose   text   NOT NULL,
  decision  text   NOT NULL,
  count     bigint NOT NULL,
  PRIMARY KEY (day, sender, recipient, purpose, decision)
);

INSERT INTO audit_day_count
SELECT (decided_at AT TIME ZONE '${timezone}')::date, sender, coalesce(recipient, ''), coalesce(purpose, ''), decision,
       count(*)
  FROM audit_record
 GROUP BY 1, 2, 3, 4, 5;

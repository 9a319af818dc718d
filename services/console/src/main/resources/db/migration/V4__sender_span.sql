-- AuditRecord version 2: the span id of the sender's traceparent, when its record carried one (null in
-- records of version 1, and when it carried none). Part of the record's hash, so kept like every other field.
ALTER TABLE audit_record ADD COLUMN sender_span_id text;

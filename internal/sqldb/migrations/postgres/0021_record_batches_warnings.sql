-- The warnings of a batch's accepted lines (uscc_check_digit …), stored
-- with it so that a replay under its Idempotency-Key and its detail
-- (GET /api/v1/records/batches/{id}) answer them as the push did:
-- warning_count counts them all, warnings holds the first 10,000 as a JSON
-- array of {line, code, field, reason} ('' when there are none). The
-- batches stored before have none.
ALTER TABLE record_batches ADD COLUMN warning_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE record_batches ADD COLUMN warnings TEXT NOT NULL DEFAULT '';

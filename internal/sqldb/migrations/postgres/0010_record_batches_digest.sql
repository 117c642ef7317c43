-- The SHA-256 of a batch as sent (hex; '' when unknown), so that an
-- Idempotency-Key used again with another body is refused, not replayed.
ALTER TABLE record_batches ADD COLUMN body_digest TEXT NOT NULL DEFAULT '';

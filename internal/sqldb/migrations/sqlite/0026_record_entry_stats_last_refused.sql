-- What identifies the entry's last refused batch (records.refusal: its
-- body's SHA-256, else its Idempotency-Key; '' for neither): the same batch
-- refused again right after is not counted again against validity.
ALTER TABLE record_entry_stats ADD COLUMN last_refused TEXT NOT NULL DEFAULT '';

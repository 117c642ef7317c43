-- Batches are listed newest first, for an entry or a department.
CREATE INDEX record_batches_entry ON record_batches (entry_id, id);
CREATE INDEX record_batches_department ON record_batches (department_id, id);

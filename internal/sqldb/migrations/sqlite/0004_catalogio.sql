-- Catalog import (internal/catalogio): column mappings a department saves
-- to import foreign catalog files again — which column of their file holds
-- which catalog field, and default values for fields the file lacks.

CREATE TABLE catalog_import_mappings (
	id            INTEGER PRIMARY KEY,
	department_id BIGINT NOT NULL REFERENCES departments (id),
	name          TEXT NOT NULL,
	columns       TEXT NOT NULL,              -- JSON object: file header -> field key
	defaults      TEXT NOT NULL DEFAULT '{}', -- JSON object: field key -> value used when a row leaves it empty
	updated_by    TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL,
	UNIQUE (department_id, name)
);

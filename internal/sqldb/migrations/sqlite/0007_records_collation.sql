-- PostgreSQL only: record identifiers compared byte by byte. SQLite's
-- default collation (BINARY) already does.
SELECT 1;

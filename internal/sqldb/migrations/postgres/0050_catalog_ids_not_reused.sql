-- SQLite only: a catalog entry's or a source conflict's id is not given
-- again after its row is deleted. The identity columns of PostgreSQL take
-- their ids from sequences, which never give one twice.
SELECT 1;

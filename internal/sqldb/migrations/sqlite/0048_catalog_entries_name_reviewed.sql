-- Two indexes of the catalog's lists over the whole catalog.
--
-- (name, id): the pages of a list by name (catalog.searchPage, ByName)
-- of several statuses, as the catalog export reads all of it, 100 entries
-- a page. catalog_entries_status_name serves one status in name order,
-- not four: each page sorted every entry past the cursor (100,000
-- entries: 0.2–0.5 s a page, a full export of 1,000 pages outlasting the
-- server's write timeout). The page's cursor is a row value, (name, id) >
-- (…), which both engines read as a bound of this index.
CREATE INDEX catalog_entries_name ON catalog_entries (name, id);

-- The published entries by their last review: those due for review
-- (catalog.Query.ReviewDue, reviewed_at before the cutoff), listed and
-- counted on each page of the catalog a reviewer opens, which scanned
-- every published entry.
CREATE INDEX catalog_entries_review_due ON catalog_entries (reviewed_at) WHERE status = 'published';

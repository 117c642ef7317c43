-- PostgreSQL only: the facet counts of a transaction writing many catalog
-- entries are added once, before it commits (catalog.DeferFacetCounts).
-- SQLite updates a row in place, which later updates do not pay for.
SELECT 1;

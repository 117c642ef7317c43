-- Closer name matches first (docs/catalog-search.md): among hits of equal
-- relevance whose names match the query, the shorter name (of which the
-- query is the larger share) comes first, then the newer. Each posting
-- carries its entry's name length, name_len (characters of name_key), as
-- it carries attrs: index() writes it with the tokens, from the entry row.
-- The rank index orders a token's postings by it within the name classes
-- (catalog.rankLength holds the same expression).
ALTER TABLE catalog_search_tokens ADD COLUMN name_len INTEGER NOT NULL DEFAULT 0;

UPDATE catalog_search_tokens SET name_len = length(e.name_key)
	FROM catalog_entries e WHERE e.id = catalog_search_tokens.entry_id;

DROP INDEX catalog_search_tokens_rank;
CREATE INDEX catalog_search_tokens_rank ON catalog_search_tokens
	(token, (CASE WHEN fields & 9 = 1 THEN 0 WHEN fields & 1 <> 0 THEN 1 WHEN fields & 2 <> 0 THEN 2 ELSE 3 END), (CASE WHEN fields & 1 <> 0 THEN name_len ELSE 0 END), updated_at DESC, entry_id DESC, attrs, department_id);

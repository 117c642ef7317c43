-- Single Han characters (unigrams) are indexed from an entry's name and
-- abstract only, no longer from its data item names (docs/catalog-search.md):
-- drop the unigram postings that came from item names alone and clear the
-- item bit (4) of the others. A Han unigram is the only one-character token
-- longer than one byte (ASCII words are their own tokens).
DELETE FROM catalog_search_tokens
	WHERE length(token) = 1 AND octet_length(token) > 1 AND (fields & 3) = 0;
UPDATE catalog_search_tokens SET fields = fields & 3
	WHERE length(token) = 1 AND octet_length(token) > 1 AND (fields & 4) <> 0;

-- A token's postings in the relevance order of a one-token query (name,
-- abstract, item names; newest first), covering what search reads (fields
-- included, so that index-only scans apply): the first page of a one- or
-- two-character query reads only its top rows (catalog.rankClass holds the
-- same expression).
CREATE INDEX catalog_search_tokens_rank ON catalog_search_tokens
	(token, (CASE WHEN fields & 1 <> 0 THEN 0 WHEN fields & 2 <> 0 THEN 1 ELSE 2 END), updated_at DESC, entry_id DESC)
	INCLUDE (fields, attrs, department_id);

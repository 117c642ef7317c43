-- Other names (catalog.otherNames, docs/catalog-search.md): 房产证 and 房本
-- for 不动产权证, 不动产权属证书 and 房屋所有权证, 房本 for 房产证, 失业证 for
-- 就业失业登记证, 户籍 for 户口. Unlike the abbreviations of 0017 and 0025,
-- each is replaced alone in the text as written (one replace() each below,
-- in the table's order, over the texts that hold its form). This adds to
-- the entries indexed before the bigrams of those texts, each with the
-- field's bit, merged into the postings, bit 8 beside the name bit (1)
-- where the name holds the token only so, as catalog.tokenFields does for
-- new ones; new postings carry the name's length (name_len, migration 0020).
-- A text without any of the forms has the tokens it had.
WITH RECURSIVE
	han(lo, hi) AS (VALUES
		(11904, 11929), (11931, 12019), (12032, 12245), (12293, 12293), (12295, 12295), (12321, 12329),
		(12344, 12347), (13312, 19903), (19968, 40959), (63744, 64109), (64112, 64217), (94178, 94179),
		(94192, 94193), (131072, 173791), (173824, 177977), (177984, 178205), (178208, 183969), (183984, 191456),
		(194560, 195101), (196608, 201546), (201552, 205743)),
	written(entry_id, field, t) AS (
		SELECT id, 1, name FROM catalog_entries
		UNION ALL SELECT id, 2, abstract FROM catalog_entries
		UNION ALL SELECT e.id, 4, json_extract(i.value, '$.name') FROM catalog_entries e, json_each(e.data, '$.items') i
			WHERE json_type(e.data, '$.items') = 'array'),
	named(entry_id, field, t) AS (
		SELECT entry_id, field, replace(t, '不动产权证', '房产证') FROM written WHERE t LIKE '%不动产权证%'
		UNION ALL SELECT entry_id, field, replace(t, '不动产权属证书', '房产证') FROM written WHERE t LIKE '%不动产权属证书%'
		UNION ALL SELECT entry_id, field, replace(t, '房屋所有权证', '房产证') FROM written WHERE t LIKE '%房屋所有权证%'
		UNION ALL SELECT entry_id, field, replace(t, '不动产权证', '房本') FROM written WHERE t LIKE '%不动产权证%'
		UNION ALL SELECT entry_id, field, replace(t, '不动产权属证书', '房本') FROM written WHERE t LIKE '%不动产权属证书%'
		UNION ALL SELECT entry_id, field, replace(t, '房屋所有权证', '房本') FROM written WHERE t LIKE '%房屋所有权证%'
		UNION ALL SELECT entry_id, field, replace(t, '房产证', '房本') FROM written WHERE t LIKE '%房产证%'
		UNION ALL SELECT entry_id, field, replace(t, '就业失业登记证', '失业证') FROM written WHERE t LIKE '%就业失业登记证%'
		UNION ALL SELECT entry_id, field, replace(t, '户口', '户籍') FROM written WHERE t LIKE '%户口%'),
	pos(entry_id, field, t, i) AS (
		SELECT entry_id, field, t, 1 FROM named
		UNION ALL SELECT entry_id, field, t, i + 1 FROM pos WHERE i < length(t) - 1),
	grams(token, entry_id, fields) AS (
		SELECT substr(t, i, 2), entry_id, MAX(field & 1) * 9 + MAX(field & 2) + MAX(field & 4) FROM pos
		WHERE EXISTS (SELECT 1 FROM han WHERE unicode(substr(t, i, 1)) BETWEEN lo AND hi)
			AND EXISTS (SELECT 1 FROM han WHERE unicode(substr(t, i + 1, 1)) BETWEEN lo AND hi)
		GROUP BY substr(t, i, 2), entry_id)
INSERT INTO catalog_search_tokens (token, entry_id, fields, attrs, department_id, updated_at, name_len)
	SELECT g.token, e.id, g.fields, ((CASE e.status WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 WHEN 'rejected' THEN 2 WHEN 'published' THEN 3 WHEN 'superseded' THEN 4 WHEN 'retired' THEN 5 ELSE 7 END) + 8 * (CASE e.share_type WHEN 'unconditional' THEN 0 WHEN 'conditional' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 32 * (e.share_methods & 15) + 512 * (CASE e.update_frequency WHEN 'realtime' THEN 0 WHEN 'daily' THEN 1 WHEN 'weekly' THEN 2 WHEN 'monthly' THEN 3 WHEN 'quarterly' THEN 4 WHEN 'yearly' THEN 5 WHEN 'other' THEN 6 ELSE 15 END) + 8192 * (CASE WHEN e.security_level BETWEEN 1 AND 4 THEN e.security_level ELSE 7 END) + 65536 * (CASE e.open_attribute WHEN 'open' THEN 0 WHEN 'conditional' THEN 1 WHEN 'closed' THEN 2 ELSE 3 END) + 262144 * (CASE e.subject_kind WHEN 'person' THEN 0 WHEN 'legal_entity' THEN 1 WHEN 'none' THEN 2 ELSE 3 END) + 1048576 * (CASE e.domain WHEN '01' THEN 0 WHEN '02' THEN 1 WHEN '03' THEN 2 WHEN '04' THEN 3 WHEN '05' THEN 4 WHEN '06' THEN 5 WHEN '07' THEN 6 WHEN '08' THEN 7 WHEN '09' THEN 8 WHEN '10' THEN 9 WHEN '11' THEN 10 WHEN '12' THEN 11 WHEN '13' THEN 12 WHEN '14' THEN 13 WHEN '15' THEN 14 WHEN '16' THEN 15 WHEN '17' THEN 16 WHEN '18' THEN 17 WHEN '19' THEN 18 WHEN '20' THEN 19 WHEN '21' THEN 20 WHEN '22' THEN 21 WHEN '99' THEN 22 ELSE 63 END)), e.department_id, e.updated_at, LENGTH(e.name_key)
	FROM grams g JOIN catalog_entries e ON e.id = g.entry_id WHERE true
	ON CONFLICT (token, entry_id) DO UPDATE SET fields = catalog_search_tokens.fields |
		(CASE WHEN catalog_search_tokens.fields & 1 <> 0 THEN excluded.fields & 7 ELSE excluded.fields END);

-- The key of an app's name (org.appKey: text.Fold in lower case without
-- white space, punctuation kept), stored by org.CreateApp, so that one
-- department cannot have two apps whose names only look different (ETL推送测试
-- and ＥＴＬ推送测试 in full width, Café composed and decomposed, a CJK
-- compatibility ideograph or a radical beside its unified ideograph): a
-- new app of such a name is refused as one of a name taken (409
-- app_exists), and two created at once are kept apart by the unique index.
-- SQL cannot compute the keys (no NFKC on SQLite): existing rows start
-- with their names as keys, unique as the names are in a department, and
-- org.RekeyApps, which hutong migrate and the server's upkeep run,
-- rewrites the others. Two existing apps of one department whose names
-- fold alike are both kept: one holds the key (one whose name already is
-- its key, else the first rewritten), the other keeps its name as its key,
-- and the rekey reports them while both are active. The empty key is left
-- out of the index: it is the column's default, which an older release's
-- server, running beside a newer one during an upgrade, gives the apps it
-- creates until the rekey rewrites them.
ALTER TABLE apps ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE apps SET name_key = name;
CREATE UNIQUE INDEX apps_department_id_name_key_key ON apps (department_id, name_key) WHERE name_key <> '';

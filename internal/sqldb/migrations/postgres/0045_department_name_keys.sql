-- The keys (text.NameKey) of a department's name and short name, stored
-- by org.CreateDepartment and org.UpdateDepartment, so that a new name or
-- short name is compared with the others' through an index
-- (org.checkNamesFree), and a department a person names is found
-- (org.DepartmentsNamed), rather than with every department's names
-- folded anew each time: creating n departments folded n² names. SQL
-- cannot compute the keys (no NFKC on SQLite): existing rows start with
-- their names as keys, right for every name NameKey leaves as it is, as
-- it leaves most, and org.RekeyDepartments, which hutong migrate and the
-- server at start run, rewrites the others.
ALTER TABLE departments ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE departments ADD COLUMN short_name_key TEXT NOT NULL DEFAULT '';
UPDATE departments SET name_key = name, short_name_key = short_name;
CREATE INDEX departments_name_key ON departments (name_key);
CREATE INDEX departments_short_name_key ON departments (short_name_key);

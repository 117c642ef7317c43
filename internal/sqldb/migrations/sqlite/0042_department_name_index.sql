-- A department typed by its name or short name (org.DepartmentsNamed) is
-- looked up by them exactly first: the UNIQUE (region_code, name) index
-- does not serve a name alone, and short names had none.
CREATE INDEX departments_name ON departments (name);
CREATE INDEX departments_short_name ON departments (short_name);

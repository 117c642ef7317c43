-- One department's entries by name: the pages of a list by name with a
-- department (catalog.searchPage, ByName and Query.DepartmentID: the
-- department's export, 100 entries a page; the API's list with
-- department_id and sort=name), whose cursor, (name, id) > (…), both
-- engines read as a bound of this index after the department. Before,
-- each page read the department's entries from catalog_entries_department
-- and sorted them, or walked catalog_entries_name from its first name: a
-- department holding most of the catalog was read whole on every page
-- (SQLite 674 ms a page of 30,000 entries).
CREATE INDEX catalog_entries_department_name ON catalog_entries (department_id, name, id);

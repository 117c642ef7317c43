-- A department closed or merged in an organisational change (机构改革) is
-- disabled (org.SetDepartmentDisabled): its accounts are disabled and its
-- apps revoked with it, it gets no new account or app and is offered as
-- no one's department. It stays, as every department does, for the rows
-- that name it.
ALTER TABLE departments ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

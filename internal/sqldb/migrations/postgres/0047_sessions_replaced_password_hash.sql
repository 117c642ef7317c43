-- The password hash an account's own change replaced, kept on the session
-- that made the change (org.ChangePassword), the one session the change
-- keeps. The change sent again by that session within org.RepeatWindow
-- (a form resubmitted) is recognised as done only when its current
-- password verifies against this hash and its new one against the
-- account's: a guess in the new field proves nothing without the old
-- password. NULL on every other session. Sessions are in no backup.
ALTER TABLE sessions ADD COLUMN replaced_password_hash TEXT;

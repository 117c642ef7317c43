-- An account whose password an operator or department administrator set
-- (its creation, a reset) must change it at its next login before doing
-- anything else; the user's own change clears the flag. Existing accounts
-- are not forced: their holders may long since have chosen their own.
ALTER TABLE users ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;

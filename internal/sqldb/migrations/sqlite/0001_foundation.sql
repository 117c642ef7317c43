-- Foundation: regions, departments, staff accounts, sessions, API apps and
-- keys, login throttling, and the hash-chained audit log.

CREATE TABLE regions (
	code        TEXT PRIMARY KEY,          -- GB/T 2260 six-digit code
	name        TEXT NOT NULL,
	level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'town')),
	parent_code TEXT REFERENCES regions (code)
);

CREATE TABLE departments (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	short_name  TEXT NOT NULL DEFAULT '',
	uscc        TEXT NOT NULL UNIQUE,      -- unified social credit code
	region_code TEXT NOT NULL REFERENCES regions (code),
	parent_id   BIGINT REFERENCES departments (id),
	is_operator BOOLEAN NOT NULL DEFAULT FALSE, -- the platform operator 政务数据主管部门
	created_at  TIMESTAMP NOT NULL,
	UNIQUE (region_code, name)
);

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL,
	department_id BIGINT NOT NULL REFERENCES departments (id),
	role          TEXT NOT NULL CHECK (role IN ('operator', 'dept_admin', 'reviewer', 'auditor')),
	password_hash TEXT NOT NULL,
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    TIMESTAMP NOT NULL,
	password_changed_at TIMESTAMP NOT NULL
);
CREATE INDEX users_department ON users (department_id);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,           -- SHA-256 of the cookie value
	user_id      BIGINT NOT NULL REFERENCES users (id),
	csrf_token   TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP NOT NULL,
	remote_addr  TEXT NOT NULL DEFAULT '',
	user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE apps (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL,
	department_id BIGINT NOT NULL REFERENCES departments (id),
	scopes        TEXT NOT NULL,             -- space-separated
	description   TEXT NOT NULL DEFAULT '',
	created_at    TIMESTAMP NOT NULL,
	revoked_at    TIMESTAMP,
	UNIQUE (department_id, name)
);

CREATE TABLE app_keys (
	id           INTEGER PRIMARY KEY,
	app_id       BIGINT NOT NULL REFERENCES apps (id),
	key_id       TEXT NOT NULL UNIQUE,        -- public part of the key, shown in lists
	secret_hash  TEXT NOT NULL,               -- SHA-256 of the secret part
	created_at   TIMESTAMP NOT NULL,
	expires_at   TIMESTAMP,                 -- set when a rotation gives the old key a grace period
	revoked_at   TIMESTAMP,
	last_used_at TIMESTAMP
);
CREATE INDEX app_keys_app ON app_keys (app_id);

CREATE TABLE login_failures (
	username     TEXT PRIMARY KEY,
	failures     INTEGER NOT NULL,
	first_at     TIMESTAMP NOT NULL,
	locked_until TIMESTAMP
);

CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY CHECK (id = 1),
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE TABLE audit_log (
	seq           BIGINT PRIMARY KEY,
	at            TIMESTAMP NOT NULL,
	actor_kind    TEXT NOT NULL,             -- user, app, applicant, system, anonymous
	actor_id      TEXT NOT NULL,
	actor_name    TEXT NOT NULL,
	department_id BIGINT,
	action        TEXT NOT NULL,
	object_type   TEXT NOT NULL,
	object_id     TEXT NOT NULL,
	subject_id    TEXT NOT NULL,             -- whose data: citizen ID or credit code, '' if none
	fields        TEXT NOT NULL,
	purpose       TEXT NOT NULL,
	outcome       TEXT NOT NULL,             -- ok, denied, failed
	detail        TEXT NOT NULL,             -- JSON
	remote_addr   TEXT NOT NULL,
	prev_hash     TEXT NOT NULL,
	hash          TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject_id, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

-- Responses of creating POSTs, replayed when a client retries with the same
-- Idempotency-Key, stored in the transaction of the action itself.
CREATE TABLE idempotency_keys (
	principal    TEXT NOT NULL,
	key          TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	status       INTEGER NOT NULL,
	body         TEXT NOT NULL,
	created_at   TIMESTAMP NOT NULL,
	PRIMARY KEY (principal, key)
);

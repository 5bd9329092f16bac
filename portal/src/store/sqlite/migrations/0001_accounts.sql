-- Accounts (citizens and staff), roles, single-use mail tokens, sessions, the mail outbox and
-- the audit log. Times are RFC 3339 UTC text (jiff Timestamp), which sorts as time does.

CREATE TABLE accounts (
    account_id        TEXT PRIMARY KEY,             -- UUIDv7
    email             TEXT NOT NULL COLLATE NOCASE UNIQUE,
    family_name       TEXT NOT NULL,
    given_name        TEXT NOT NULL,
    password_hash     TEXT,                         -- argon2id PHC; NULL until an invitee sets one
    status            TEXT NOT NULL CHECK (status IN ('pending', 'active')),
    lang              TEXT NOT NULL DEFAULT 'ja',
    created_at        TEXT NOT NULL,
    terms_accepted_at TEXT
);

CREATE TABLE account_roles (
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    granted_at TEXT NOT NULL,
    granted_by TEXT,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE account_tokens (
    token_hash BLOB PRIMARY KEY,                    -- SHA-256 of the secret in the mail
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    new_email  TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
CREATE INDEX account_tokens_by_account ON account_tokens (account_id);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,                    -- SHA-256 of the cookie / bearer token
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('web', 'api')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE mail_outbox (
    mail_id         TEXT PRIMARY KEY,
    to_addr         TEXT NOT NULL COLLATE NOCASE,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                           -- NULL once sent or given up
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
CREATE INDEX mail_outbox_by_recipient ON mail_outbox (to_addr);

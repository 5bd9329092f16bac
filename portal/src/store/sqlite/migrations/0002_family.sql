-- こども情報 and 出産予定日 of guardians. Deleted with the account (退会).

CREATE TABLE children (
    child_id     TEXT PRIMARY KEY,                  -- UUIDv7
    account_id   TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    family_name  TEXT NOT NULL,
    given_name   TEXT NOT NULL,
    sex          TEXT NOT NULL,
    birth_date   TEXT NOT NULL,                     -- YYYY-MM-DD (civil date, Asia/Tokyo)
    relationship TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX children_by_account ON children (account_id, birth_date);

CREATE TABLE due_dates (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    due_date   TEXT NOT NULL,                       -- YYYY-MM-DD
    updated_at TEXT NOT NULL
);

-- 子育て支援センター and the staff who work at each.

CREATE TABLE centers (
    center_id  TEXT PRIMARY KEY,                    -- short name, [a-z0-9-]
    name       TEXT NOT NULL,
    address    TEXT NOT NULL,
    capacity   INTEGER NOT NULL CHECK (capacity > 0),
    opens      TEXT NOT NULL,                       -- HH:MM:SS, Asia/Tokyo
    closes     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE center_staff (
    center_id  TEXT NOT NULL REFERENCES centers (center_id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    PRIMARY KEY (center_id, account_id)
);
CREATE INDEX center_staff_by_account ON center_staff (account_id);

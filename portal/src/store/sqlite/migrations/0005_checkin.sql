-- Check-in/out at 子育て支援センター: child numbers for passes, pass-signing keys, kiosks,
-- the visit history and who is in now.

-- A pass names a child by (guardian, child number). Numbers are 1, 2, 3… per account and never
-- reused in that account, so a pass issued before a child was removed cannot name another child.
ALTER TABLE children ADD COLUMN child_no INTEGER;
UPDATE children SET child_no = (
    SELECT COUNT(*) FROM children AS earlier
    WHERE earlier.account_id = children.account_id
      AND (earlier.created_at, earlier.child_id) <= (children.created_at, children.child_id)
);
CREATE UNIQUE INDEX children_by_no ON children (account_id, child_no);
CREATE TABLE child_numbers (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    last_no    INTEGER NOT NULL
);
INSERT INTO child_numbers (account_id, last_no)
    SELECT account_id, MAX(child_no) FROM children GROUP BY account_id;

-- Ed25519 keys that sign passes. `seq` orders them (k1, k2, …); a key signs passes issued in
-- [valid_from, valid_until).
CREATE TABLE pass_keys (
    kid         TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL UNIQUE,
    seed        BLOB NOT NULL,                      -- the 32-byte Ed25519 secret seed
    valid_from  TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- Kiosks, each at one center with its own broker credentials.
CREATE TABLE kiosks (
    kiosk_id       TEXT PRIMARY KEY,                -- also its MQTT user name
    center_id      TEXT NOT NULL REFERENCES centers (center_id),
    label          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,                   -- Mosquitto's PBKDF2-SHA512 format ($7$)
    created_at     TEXT NOT NULL,
    retired_at     TEXT,
    state          TEXT,                            -- online | offline, from its status topic
    state_at       TEXT,
    software       TEXT,
    pending_events INTEGER
);
CREATE INDEX kiosks_by_center ON kiosks (center_id);

-- The visit history: every check-in/out applied, once per event id.
CREATE TABLE center_events (
    event_id    TEXT PRIMARY KEY,                   -- UUIDv7 made by the kiosk
    center_id   TEXT NOT NULL,
    kiosk_id    TEXT,                               -- NULL for the portal's closing-time check-out
    guardian_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,                      -- check_in | check_out
    children    TEXT NOT NULL,                      -- JSON array of child numbers
    pass_nonce  TEXT,                               -- 16 hex digits; NULL for manual/closing
    source      TEXT NOT NULL,                      -- pass | manual | closing
    staff_note  TEXT,
    occurred_at TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE UNIQUE INDEX center_events_nonce ON center_events (center_id, pass_nonce)
    WHERE pass_nonce IS NOT NULL;
CREATE INDEX center_events_by_center ON center_events (center_id, received_at);
CREATE INDEX center_events_by_guardian ON center_events (guardian_id);

-- Who is in: per child and center, its latest event (by occurred_at, then event id).
CREATE TABLE child_presence (
    center_id    TEXT NOT NULL,
    guardian_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    child_no     INTEGER NOT NULL,
    is_in        INTEGER NOT NULL,
    latest_at    TEXT NOT NULL,                     -- occurred_at of the latest event
    latest_event TEXT NOT NULL,
    since        TEXT,                              -- when the current stay began
    PRIMARY KEY (center_id, guardian_id, child_no)
);

-- Each center's occupancy sequence (shared by Occupancy and Presence messages).
CREATE TABLE center_seq (
    center_id  TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

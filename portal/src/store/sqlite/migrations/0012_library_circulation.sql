-- Library counter kiosks and their circulation requests (PROTOCOL.md §13).

-- Kiosks at a library counter, each with its own broker credentials, as `kiosks` has for the
-- centers' kiosks. Ids are `library{n}`: without a hyphen, never a center kiosk's id.
CREATE TABLE library_kiosks (
    kiosk_id       TEXT PRIMARY KEY,                -- also its MQTT user name
    label          TEXT NOT NULL,
    password_hash  TEXT NOT NULL,                   -- Mosquitto's PBKDF2-SHA512 format ($7$)
    created_at     TEXT NOT NULL,
    retired_at     TEXT,
    state          TEXT,                            -- online | offline, from its status topic
    state_at       TEXT,
    software       TEXT
);

-- Every circulation request applied, once per request id, with the answer given (sent again
-- to a kiosk that resends the request). Patron lookups are not kept. Once an item is back,
-- the card numbers of its requests are erased: a library keeps no reading history.
CREATE TABLE library_requests (
    request_id   TEXT PRIMARY KEY,                  -- UUIDv7 made by the kiosk
    kiosk_id     TEXT NOT NULL,
    op           TEXT NOT NULL,                     -- checkout | checkin | renew
    authority    TEXT NOT NULL,                     -- ledger | ils
    card_number  TEXT,
    item_id      TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,                     -- RFC 3339, at the counter
    received_at  TEXT NOT NULL,
    changed      INTEGER NOT NULL,                  -- 1 when it changed the item's loan
    answer       TEXT NOT NULL                      -- the CircAnswer as sent (JSON)
);
CREATE INDEX library_requests_by_item ON library_requests (item_id, occurred_at)
    WHERE changed = 1;

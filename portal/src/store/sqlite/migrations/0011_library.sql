-- 図書館利用カード: the card a citizen registered (one per account, one account per card), with
-- the photo of the card as re-encoded by the portal (a JPEG without metadata). Deleted with
-- the account (退会).

CREATE TABLE library_cards (
    account_id    TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    card_number   TEXT NOT NULL UNIQUE,             -- ASCII digits, as the library's rules read it
    photo         BLOB,                             -- JPEG, no EXIF
    photo_width   INTEGER,
    photo_height  INTEGER,
    registered_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- What is lent now, by card number, as the library counter kiosks report it (from the ILS, or
-- the portal's own ledger for a library without one). One row per item on loan.
CREATE TABLE library_loans (
    item_id     TEXT PRIMARY KEY,                   -- the item's barcode
    card_number TEXT NOT NULL,
    title       TEXT NOT NULL,
    lent_at     TEXT NOT NULL,                      -- RFC 3339 timestamp
    due_date    TEXT NOT NULL,                      -- YYYY-MM-DD (Asia/Tokyo)
    renewals    INTEGER NOT NULL DEFAULT 0,
    kiosk_id    TEXT NOT NULL
);
CREATE INDEX library_loans_by_card ON library_loans (card_number, due_date);

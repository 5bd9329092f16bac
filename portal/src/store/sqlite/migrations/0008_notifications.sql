-- The delivery engine: what each citizen wants by which channel, LINE account links, and the
-- durable notification outbox (one delivery, its rendered contents per language, and one row
-- per recipient and channel with that recipient's delivery state).

-- Per service (school, oshirase, bousai, gomi), whether a citizen wants email and LINE. No row:
-- both (LINE only once linked).
CREATE TABLE notification_prefs (
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    service    TEXT NOT NULL,
    email      INTEGER NOT NULL CHECK (email IN (0, 1)),
    line       INTEGER NOT NULL CHECK (line IN (0, 1)),
    PRIMARY KEY (account_id, service)
) WITHOUT ROWID;

-- A portal account linked to a LINE user of the city's official account.
CREATE TABLE line_links (
    account_id   TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    line_user_id TEXT NOT NULL UNIQUE,
    linked_at    TEXT NOT NULL
);

-- Nonces handed to LINE during account linking (SHA-256 only), single-use and short-lived.
CREATE TABLE line_link_nonces (
    nonce_hash BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
);

-- Webhook events already handled (LINE redelivers), kept for a few days.
CREATE TABLE line_webhook_events (
    webhook_event_id TEXT PRIMARY KEY,
    received_at      TEXT NOT NULL
) WITHOUT ROWID;

-- One message to many: what it is, where it came from (unique, so a source is delivered once
-- even when two instances or a restart race), and when its recipients were chosen.
CREATE TABLE deliveries (
    delivery_id TEXT PRIMARY KEY,                   -- UUIDv7
    kind        TEXT NOT NULL,                      -- announcement, school_notice, …
    service     TEXT NOT NULL,                      -- whose channel choices apply
    source      TEXT NOT NULL UNIQUE,               -- e.g. announcement:UUID
    title       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    recipients  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX deliveries_by_time ON deliveries (created_at);

-- The rendered message, once per language of its recipients.
CREATE TABLE delivery_contents (
    delivery_id TEXT NOT NULL REFERENCES deliveries (delivery_id) ON DELETE CASCADE,
    lang        TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    line_text   TEXT NOT NULL,
    PRIMARY KEY (delivery_id, lang)
) WITHOUT ROWID;

-- One recipient on one channel. state: queued (due at next_attempt_at), sent, dead (given up;
-- staff may resend). A claimed row's next_attempt_at is its lease's end. batch_id (LINE only)
-- is the X-Line-Retry-Key of the request that carries it, fixed when the delivery is made (up
-- to 500 recipients of one language), so a retry after a crash is the same request and LINE
-- accepts it once.
-- No foreign keys and no unique index here, on purpose: a fan-out writes 200,000 of these
-- rows in one transaction, and each constraint costs a lookup per row (measured in
-- BENCHMARKS.md). Uniqueness holds by construction (each audience yields an account once, and
-- each channel is inserted once); withdrawal deletes the account's rows itself.
CREATE TABLE delivery_recipients (
    recipient_id    INTEGER PRIMARY KEY,
    delivery_id     TEXT NOT NULL,                  -- deliveries.delivery_id
    account_id      TEXT NOT NULL,                  -- accounts.account_id
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'line')),
    address         TEXT NOT NULL,                  -- the email address or LINE user id
    lang            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                           -- NULL once sent or dead
    claimed_by      TEXT,
    batch_id        TEXT,
    last_error      TEXT,
    sent_at         TEXT
);
CREATE INDEX delivery_recipients_due ON delivery_recipients (channel, next_attempt_at)
    WHERE next_attempt_at IS NOT NULL;
CREATE INDEX delivery_recipients_by_delivery ON delivery_recipients (delivery_id, state);
CREATE INDEX delivery_recipients_by_batch ON delivery_recipients (batch_id) WHERE batch_id IS NOT NULL;

-- Announcements published before the delivery engine existed are not sent at upgrade.
ALTER TABLE announcements ADD COLUMN delivered_at TEXT;
UPDATE announcements SET delivered_at = created_at;
CREATE INDEX announcements_undelivered ON announcements (publish_at) WHERE delivered_at IS NULL;

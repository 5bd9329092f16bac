-- 避難情報 as sent: the draft as staff made it and its message in every language, kept for the
-- alert page, the feed and CAP; delivered once (its delivery's source is the alert).
CREATE TABLE alerts (
    alert_id   TEXT PRIMARY KEY,                    -- UUIDv7
    kind       TEXT NOT NULL,                       -- catalog kind id
    target     TEXT NOT NULL,                       -- JSON AlertTarget
    shelters   TEXT NOT NULL,                       -- JSON array of names
    texts      TEXT NOT NULL,                       -- JSON {lang: {title, body}}
    issued_at  TEXT NOT NULL,
    sent_by    TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    recipients INTEGER NOT NULL
);
CREATE INDEX alerts_by_time ON alerts (sent_at);

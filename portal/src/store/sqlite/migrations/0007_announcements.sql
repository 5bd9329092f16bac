-- 市からのお知らせ: announcements, each in one 分野, published now or at a set time.

CREATE TABLE announcements (
    announcement_id TEXT PRIMARY KEY,               -- UUIDv7
    category_id     TEXT NOT NULL REFERENCES categories (category_id),
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    link            TEXT,                           -- an http(s) URL with more, optional
    publish_at      TEXT NOT NULL,                  -- fixed-width UTC, sorts as time
    created_by      TEXT REFERENCES accounts (account_id) ON DELETE SET NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX announcements_by_time ON announcements (publish_at);
CREATE INDEX announcements_by_category ON announcements (category_id, publish_at);

-- 市からのお知らせ: the 分野 (categories) staff keep, and which a citizen wants to hear about.

CREATE TABLE categories (
    category_id TEXT PRIMARY KEY,                   -- short name, [a-z0-9-]
    name        TEXT NOT NULL,
    sort_order  INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE category_subscriptions (
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    category_id TEXT NOT NULL REFERENCES categories (category_id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, category_id)
);
CREATE INDEX category_subscriptions_by_category ON category_subscriptions (category_id);

-- 避難情報: the city's areas (地域) citizens choose from, and each citizen's
-- 防災情報の通知設定. Without a row, a citizen takes everything in Japanese (the 初期設定).

CREATE TABLE alert_areas (
    area_id INTEGER PRIMARY KEY,                    -- the city's number, never reused
    name    TEXT NOT NULL UNIQUE
);

CREATE TABLE alert_settings (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    receive    INTEGER NOT NULL,
    lang       TEXT NOT NULL,                       -- ja, ja-easy, en, zh-Hans, ko, vi, pt
    areas      TEXT,                                -- JSON [{area, zones}]; NULL: city-wide
    updated_at TEXT NOT NULL
);

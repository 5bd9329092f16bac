-- 子育てのタイミング情報: the categories each citizen turned off, the pregnancy each 出産予定日
-- belongs to, the messages already sent, and the days whose sending is done. A citizen's rows
-- are deleted with the account (退会).

-- A category of timely.toml the citizen does not want (no row: every category is sent).
CREATE TABLE timely_turned_off (
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    category   TEXT NOT NULL,                       -- a [[category]] id of timely.toml
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, category)
);

-- The pregnancy a guardian's 出産予定日 belongs to: the key is made when a due date is first
-- seen and kept while the date is only corrected, so the messages already sent are not sent
-- again under a new key.
CREATE TABLE timely_pregnancies (
    account_id    TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    pregnancy_key TEXT NOT NULL,
    due_date      TEXT NOT NULL                     -- YYYY-MM-DD, the date last seen
);

-- Each message sent, by its stable key (pregnancy:{key}:{item} or child:{child_id}:{item}).
CREATE TABLE timely_sent (
    message_key TEXT PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    sent_at     TEXT NOT NULL
);
CREATE INDEX timely_sent_by_account ON timely_sent (account_id);

-- Days (Asia/Tokyo) whose messages have all been sent, so a second instance skips them.
CREATE TABLE timely_days (
    day         TEXT PRIMARY KEY,                   -- YYYY-MM-DD
    finished_at TEXT NOT NULL
);

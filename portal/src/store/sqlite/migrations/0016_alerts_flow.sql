-- 避難情報 as a flow: an alert is written (pending when a second staff member must approve it),
-- approved, sent, and perhaps cancelled; a 続報 (update) or 取消 (cancel) is an alert of its
-- own that names the one it follows. The draft's own words are kept beside the composed
-- texts, for CAP and for starting a 続報 from it. Rebuilt from 0015 (no row is lost: all
-- rows there were sent).
CREATE TABLE alerts_flow (
    alert_id     TEXT PRIMARY KEY,                  -- UUIDv7; its delivery's source is alert:ID
    msg_type     TEXT NOT NULL CHECK (msg_type IN ('alert', 'update', 'cancel')),
    refers_to    TEXT,                              -- the alert an update or cancel follows
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'sent', 'cancelled')),
    kind         TEXT NOT NULL,                     -- catalog kind id
    target       TEXT NOT NULL,                     -- JSON AlertTarget
    shelters     TEXT NOT NULL,                     -- JSON array of names
    draft_text   TEXT NOT NULL,                     -- JSON {title: {lang: s}, text: {lang: s}}
    texts        TEXT NOT NULL,                     -- JSON {lang: {title, body}}, as composed
    issued_at    TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    approved_by  TEXT,
    sent_at      TEXT,
    recipients   INTEGER NOT NULL DEFAULT 0,
    cancelled_by TEXT,
    cancelled_at TEXT,
    withdrawn    INTEGER NOT NULL DEFAULT 0         -- messages not handed over when cancelled
);
INSERT INTO alerts_flow (alert_id, msg_type, status, kind, target, shelters, draft_text, texts,
                         issued_at, created_by, created_at, sent_at, recipients)
    SELECT alert_id, 'alert', 'sent', kind, target, shelters, '{}', texts, issued_at, sent_by,
           sent_at, sent_at, recipients FROM alerts;
DROP TABLE alerts;
ALTER TABLE alerts_flow RENAME TO alerts;
CREATE INDEX alerts_by_time ON alerts (created_at);
CREATE INDEX alerts_by_refers_to ON alerts (refers_to) WHERE refers_to IS NOT NULL;

-- A LINE message's quick-reply buttons (JSON [{label, data}]; NULL: none): an alert's one-tap
-- answers come back as postbacks.
ALTER TABLE delivery_contents ADD COLUMN line_actions TEXT;

-- One-tap answers (無事です / 避難しました / 助けが必要): a citizen's latest answer to an alert,
-- with the area they answered for.
CREATE TABLE alert_answers (
    alert_id    TEXT NOT NULL,
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    answer      TEXT NOT NULL CHECK (answer IN ('safe', 'evacuated', 'need_help')),
    area_id     INTEGER,
    answered_at TEXT NOT NULL,
    PRIMARY KEY (alert_id, account_id)
) WITHOUT ROWID;

-- 子育てイベントカレンダー: the events staff publish and the families who applied for them.
-- Times are civil times in Asia/Tokyo, as the city writes them on a poster.
CREATE TABLE kosodate_events (
    event_id     TEXT PRIMARY KEY,                  -- UUIDv7; the iCalendar UID's first part
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    place        TEXT NOT NULL,
    all_day      INTEGER NOT NULL,                  -- 1: starts/ends are dates (first, last day)
    starts       TEXT NOT NULL,                     -- YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS
    ends         TEXT,                              -- the last day, or the end; NULL: not announced
    first_day    TEXT NOT NULL,                     -- YYYY-MM-DD, for finding a month's events
    last_day     TEXT NOT NULL,
    age_from     INTEGER,                           -- months; both NULL: any age
    age_to       INTEGER,
    pregnant     INTEGER NOT NULL,                  -- 1: for pregnant women too
    capacity     INTEGER,                           -- NULL: no limit
    application  TEXT NOT NULL CHECK (application IN ('none', 'portal', 'other')),
    apply_how    TEXT,                              -- for 'other'
    opens        TEXT,                              -- for 'portal'; NULL: at once
    closes       TEXT,                              -- for 'portal'; NULL: at the start
    url          TEXT,
    cancelled_at TEXT,                              -- 中止: staff called it off
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX kosodate_events_by_day ON kosodate_events (last_day, first_day);

-- One row per family and event; `seq` is the order of application (the waiting list is
-- served in it), `status` where the family stands now.
CREATE TABLE kosodate_event_applications (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   TEXT NOT NULL REFERENCES kosodate_events (event_id),
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    status     TEXT NOT NULL CHECK (status IN ('confirmed', 'waiting')),
    applied_at TEXT NOT NULL,
    UNIQUE (event_id, account_id)
);
CREATE INDEX kosodate_event_applications_by_account ON kosodate_event_applications (account_id);

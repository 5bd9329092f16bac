-- ごみ収集日: the city's data as its 5374 files say it (kept as the files' text, one current
-- set), stable ids for its areas, the exceptions staff add, each citizen's area and reminder,
-- and which reminders were made (each citizen gets one per collection day).

CREATE TABLE garbage_files (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    area_days   TEXT NOT NULL,
    center      TEXT NOT NULL,
    description TEXT NOT NULL,
    target      TEXT NOT NULL,
    remarks     TEXT,
    revision    INTEGER NOT NULL,                   -- +1 on every change, exceptions included
    imported_at TEXT NOT NULL
);

-- An area keeps its id across imports (citizens refer to it); an area a new import leaves out
-- stays, inactive, so its citizens can be told to choose again.
CREATE TABLE garbage_areas (
    area_id INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL UNIQUE,
    active  INTEGER NOT NULL DEFAULT 1
);

-- Days that differ from the rules: pause | skip | move | extra, for one area or all (NULL).
CREATE TABLE garbage_exceptions (
    exception_id INTEGER PRIMARY KEY AUTOINCREMENT,
    area_id      INTEGER REFERENCES garbage_areas (area_id),
    kind         TEXT NOT NULL,
    from_date    TEXT NOT NULL,                     -- YYYY-MM-DD
    to_date      TEXT,                              -- pause: last day; move: the new day
    kinds        TEXT NOT NULL,                     -- JSON array of kind labels; [] = all kinds
    note         TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE garbage_settings (
    account_id TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
    area_id    INTEGER NOT NULL REFERENCES garbage_areas (area_id),
    remind     TEXT NOT NULL,                       -- evening | morning | off
    hour       INTEGER NOT NULL,                    -- 0–23, Asia/Tokyo
    updated_at TEXT NOT NULL
);
CREATE INDEX garbage_settings_by_slot ON garbage_settings (remind, hour, area_id);

-- A reminder slot (collection day, evening/morning, hour) done for an area: its delivery made,
-- or nothing to collect. Two portal instances, a restart or a clock jump find it done.
CREATE TABLE garbage_runs (
    collection_date TEXT NOT NULL,
    remind          TEXT NOT NULL,
    hour            INTEGER NOT NULL,
    area_id         INTEGER NOT NULL,
    recipients      INTEGER NOT NULL,
    done_at         TEXT NOT NULL,
    PRIMARY KEY (collection_date, remind, hour, area_id)
);

-- Who was reminded of which collection day: one reminder per citizen per day, even when they
-- change their area or hour the same evening.
CREATE TABLE garbage_reminded (
    account_id      TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    collection_date TEXT NOT NULL,
    PRIMARY KEY (account_id, collection_date)
);

-- 母子健康手帳の交付 and 赤ちゃん訪問: the health office's slots, citizens' bookings with their
-- 問診 answers, and every staff read of those answers (health information: each read is kept).
CREATE TABLE health_slots (
    slot_id    TEXT PRIMARY KEY,                    -- UUIDv7
    service    TEXT NOT NULL,                       -- boshi_techo | akachan_houmon
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    place      TEXT,                                -- the venue's name; NULL: at the citizen's home
    capacity   INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX health_slots_by_time ON health_slots (service, starts_at);

-- A booking keeps its id when the citizen moves it to another slot.
CREATE TABLE health_bookings (
    booking_id   TEXT PRIMARY KEY,                  -- UUIDv7
    slot_id      TEXT NOT NULL REFERENCES health_slots (slot_id),
    citizen_id   TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    booked_at    TEXT NOT NULL,
    cancelled_at TEXT,
    answers      TEXT NOT NULL,                     -- JSON of the 問診 answers
    reminded     TEXT                               -- the key of the reminder sent
);
CREATE INDEX health_bookings_by_slot ON health_bookings (slot_id);
CREATE INDEX health_bookings_by_citizen ON health_bookings (citizen_id);

CREATE TABLE health_answer_reads (
    read_id    INTEGER PRIMARY KEY,
    staff_id   TEXT NOT NULL,
    what       TEXT NOT NULL,                       -- booking:ID | export:SERVICE:FROM:TO
    rows       INTEGER NOT NULL,
    read_at    TEXT NOT NULL
);

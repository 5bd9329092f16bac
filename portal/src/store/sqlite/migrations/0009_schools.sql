-- 小中学校・幼稚園からの情報: schools with their 4-digit codes and staff, their groups, the
-- children their guardians enrolled, and the notices the schools post with who received and
-- who read each.

CREATE TABLE schools (
    school_code TEXT PRIMARY KEY CHECK (length(school_code) = 4),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('elementary', 'junior_high', 'kindergarten')),
    created_at  TEXT NOT NULL
);

CREATE TABLE school_staff (
    school_code TEXT NOT NULL REFERENCES schools (school_code) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    PRIMARY KEY (school_code, account_id)
) WITHOUT ROWID;
CREATE INDEX school_staff_by_account ON school_staff (account_id);

-- kind: whole (全校, one per school), grade (one per grade, made with the school), class (a
-- 学級 of a grade) and other (groups guardians join). grade is 0 for whole and other.
CREATE TABLE school_groups (
    group_id    TEXT PRIMARY KEY,                   -- UUIDv7
    school_code TEXT NOT NULL REFERENCES schools (school_code) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('whole', 'grade', 'class', 'other')),
    grade       INTEGER NOT NULL,
    name        TEXT NOT NULL,                      -- the class or group's own name, '' else
    created_at  TEXT NOT NULL,
    UNIQUE (school_code, kind, grade, name)
);

-- A registered child at a school, in a grade and (where the grade has classes) a class.
CREATE TABLE enrollments (
    enrollment_id  TEXT PRIMARY KEY,                -- UUIDv7
    child_id       TEXT NOT NULL REFERENCES children (child_id) ON DELETE CASCADE,
    school_code    TEXT NOT NULL REFERENCES schools (school_code) ON DELETE CASCADE,
    grade          INTEGER NOT NULL,
    class_group_id TEXT REFERENCES school_groups (group_id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (child_id, school_code)
);
CREATE INDEX enrollments_by_school ON enrollments (school_code, grade);
CREATE INDEX enrollments_by_class ON enrollments (class_group_id);

-- The other groups an enrolled child is in.
CREATE TABLE enrollment_groups (
    enrollment_id TEXT NOT NULL REFERENCES enrollments (enrollment_id) ON DELETE CASCADE,
    group_id      TEXT NOT NULL REFERENCES school_groups (group_id) ON DELETE CASCADE,
    PRIMARY KEY (enrollment_id, group_id)
) WITHOUT ROWID;
CREATE INDEX enrollment_groups_by_group ON enrollment_groups (group_id);

-- Wrong school codes entered, for the limit on guesses.
CREATE TABLE school_code_failures (
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    failed_at  TEXT NOT NULL
);
CREATE INDEX school_code_failures_by_account ON school_code_failures (account_id, failed_at);

-- A notice as posted. groups: the names of the groups it went to, as shown then.
CREATE TABLE school_notices (
    notice_id    TEXT PRIMARY KEY,                  -- UUIDv7
    school_code  TEXT NOT NULL REFERENCES schools (school_code) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    urgent       INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    groups       TEXT NOT NULL,
    posted_by    TEXT NOT NULL,                     -- account id (kept if the staff member leaves)
    posted_at    TEXT NOT NULL,
    delivered_at TEXT
);
CREATE INDEX school_notices_by_school ON school_notices (school_code, posted_at);
CREATE INDEX school_notices_undelivered ON school_notices (posted_at) WHERE delivered_at IS NULL;

-- The guardians a notice was for, chosen when it was posted (so who has read it is counted
-- against who it was for), with the children it concerns as staff see them.
CREATE TABLE school_notice_recipients (
    notice_id  TEXT NOT NULL REFERENCES school_notices (notice_id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
    children   TEXT NOT NULL,
    read_at    TEXT,
    PRIMARY KEY (notice_id, account_id)
) WITHOUT ROWID;
CREATE INDEX school_notice_recipients_by_account ON school_notice_recipients (account_id);

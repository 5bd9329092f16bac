-- A file attached to an announcement (a PDF leaflet, an image), kept with it in the database
-- so that a backup of the database is a backup of everything.

CREATE TABLE announcement_attachments (
    announcement_id TEXT PRIMARY KEY REFERENCES announcements (announcement_id) ON DELETE CASCADE,
    file_name       TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    size            INTEGER NOT NULL,
    bytes           BLOB NOT NULL
);

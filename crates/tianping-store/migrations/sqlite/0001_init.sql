-- Tianping schema, SQLite. Dates are ISO text (YYYY-MM-DD), amounts integer fen, enums their ids.
-- A shipped migration is never edited: add a new file instead.

CREATE TABLE courts (
    code        TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT
) WITHOUT ROWID;

CREATE TABLE cases (
    case_number        TEXT PRIMARY KEY NOT NULL,
    court_code         TEXT NOT NULL,
    type_code          TEXT,
    type_name          TEXT,
    procedure          TEXT,
    cause              TEXT,
    received_date      TEXT,
    filed_date         TEXT NOT NULL,
    division           TEXT,
    judge              TEXT,
    closed_date        TEXT,
    closing_mode       TEXT,
    disposal           TEXT,
    claim_amount       INTEGER,
    recovered_amount   INTEGER,
    origin_case_number TEXT,
    foreign_related    INTEGER NOT NULL DEFAULT 0,
    longer_limit       INTEGER NOT NULL DEFAULT 0,
    appeal_object      TEXT NOT NULL DEFAULT 'judgment'
);
CREATE INDEX cases_origin ON cases (origin_case_number) WHERE origin_case_number IS NOT NULL;

-- Events are de-duplicated on all their fields; NULLs count as equal through the expression index.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_number TEXT NOT NULL,
    kind        TEXT NOT NULL,
    date        TEXT NOT NULL,
    end_date    TEXT,
    months      INTEGER,
    days        INTEGER,
    reason      TEXT
);
CREATE UNIQUE INDEX events_identity ON events (
    case_number, kind, date, ifnull(end_date, ''), ifnull(months, -1), ifnull(days, -1),
    ifnull(reason, '')
);

CREATE TABLE import_log (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    user     TEXT NOT NULL,
    file     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    rows     INTEGER NOT NULL,
    imported INTEGER NOT NULL,
    rejected INTEGER NOT NULL
);

-- data_version grows with every import that changes data (in-memory snapshots compare it).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES ('data_version', 0);

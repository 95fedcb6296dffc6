-- Tianping schema, PostgreSQL: the SQLite schema (migrations/sqlite) in PostgreSQL's types.
-- Dates are DATE, amounts BIGINT fen, flags BOOLEAN, enums their English ids as text.
-- Keys and the columns reads order by use the "C" collation (byte order), as SQLite does, so
-- that both backends list rows in the same order whatever the database's collation.
-- A shipped migration is never edited: add a new file instead.

CREATE TABLE courts (
    code        TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT COLLATE "C",
    version     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE cases (
    case_number        TEXT COLLATE "C" PRIMARY KEY,
    court_code         TEXT COLLATE "C" NOT NULL,
    type_code          TEXT,
    type_name          TEXT,
    procedure          TEXT,
    cause              TEXT,
    received_date      DATE,
    filed_date         DATE NOT NULL,
    division           TEXT,
    judge              TEXT,
    closed_date        DATE,
    closing_mode       TEXT,
    disposal           TEXT,
    claim_amount       BIGINT,
    recovered_amount   BIGINT,
    origin_case_number TEXT COLLATE "C",
    foreign_related    BOOLEAN NOT NULL DEFAULT false,
    longer_limit       BOOLEAN NOT NULL DEFAULT false,
    appeal_object      TEXT NOT NULL DEFAULT 'judgment',
    version            BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cases_court ON cases (court_code);
CREATE INDEX cases_origin ON cases (origin_case_number) WHERE origin_case_number IS NOT NULL;
CREATE INDEX cases_version ON cases (version);

-- Events are de-duplicated on all their fields, two NULLs counting as equal.
CREATE TABLE events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_number TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    date        DATE NOT NULL,
    end_date    DATE,
    months      BIGINT,
    days        BIGINT,
    reason      TEXT COLLATE "C",
    version     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT events_identity UNIQUE NULLS NOT DISTINCT
        (case_number, kind, date, end_date, months, days, reason)
);
CREATE INDEX events_version ON events (version);

CREATE TABLE import_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    "user"   TEXT NOT NULL,
    file     TEXT NOT NULL,
    kind     TEXT NOT NULL,
    rows     BIGINT NOT NULL,
    imported BIGINT NOT NULL,
    rejected BIGINT NOT NULL
);

-- data_version grows with every import that changes data (in-memory snapshots compare it).
-- Imports lock its row first, so they run one after the other.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 0);

CREATE TABLE users (
    username      TEXT COLLATE "C" PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    court_code    TEXT,
    judge_name    TEXT,
    disabled      BOOLEAN NOT NULL DEFAULT false,
    created_at    TEXT NOT NULL
);

-- The audit log only grows: the database itself refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL
);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END;
$$;
-- Statement triggers: refused even when no row would be touched.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        BYTEA NOT NULL,
    expiry_date BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry_date);

CREATE TABLE holiday_notices (
    year      INTEGER PRIMARY KEY,
    csv       TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);

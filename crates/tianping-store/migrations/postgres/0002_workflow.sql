-- The workflow modules' shared tables and mediation: migrations/sqlite/0003_workflow.sql in
-- PostgreSQL's types (DATE, BOOLEAN, BIGINT; keys in the "C" collation, as SQLite orders).
-- A shipped migration is never edited: add a new file instead.

CREATE TABLE settings (
    key        TEXT COLLATE "C" PRIMARY KEY,
    value      TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

CREATE TABLE user_duties (
    username    TEXT COLLATE "C" PRIMARY KEY,
    duties      TEXT NOT NULL,
    mediator_id TEXT COLLATE "C"
);

CREATE TABLE workflow_audit (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    module    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL
);
CREATE INDEX workflow_audit_entity ON workflow_audit (module, entity_id, id);

CREATE TABLE mediation_orgs (
    org_id       TEXT COLLATE "C" PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    court_code   TEXT COLLATE "C" NOT NULL,
    docking      TEXT,
    specialities TEXT NOT NULL,
    charges_fee  BOOLEAN NOT NULL,
    status       TEXT NOT NULL,
    joined_date  DATE,
    left_date    DATE
);

CREATE TABLE mediators (
    mediator_id    TEXT COLLATE "C" PRIMARY KEY,
    name           TEXT NOT NULL,
    org_id         TEXT COLLATE "C",
    court_code     TEXT COLLATE "C" NOT NULL,
    background     TEXT,
    specialities   TEXT NOT NULL,
    resident       BOOLEAN NOT NULL,
    online         BOOLEAN NOT NULL,
    certificate_no TEXT,
    status         TEXT NOT NULL,
    joined_date    DATE,
    left_date      DATE
);

CREATE TABLE mediations (
    mediation_id             TEXT COLLATE "C" PRIMARY KEY,
    court_code               TEXT COLLATE "C" NOT NULL,
    kind                     TEXT NOT NULL,
    case_number              TEXT COLLATE "C",
    procedure                TEXT,
    cause                    TEXT,
    claim_amount             BIGINT,
    registered_date          DATE NOT NULL,
    referred_date            DATE,
    org_id                   TEXT COLLATE "C",
    mediator_id              TEXT COLLATE "C",
    accepted_date            DATE,
    online                   BOOLEAN NOT NULL,
    outcome                  TEXT,
    concluded_date           DATE,
    agreement_path           TEXT,
    performed                BOOLEAN,
    failure_reason           TEXT,
    wants_suit               BOOLEAN NOT NULL,
    confirmation_case_number TEXT COLLATE "C",
    document_case_number     TEXT COLLATE "C",
    filed_case_number        TEXT COLLATE "C",
    filed_date               DATE
);
CREATE INDEX mediations_court ON mediations (court_code, registered_date);
CREATE INDEX mediations_mediator ON mediations (mediator_id);

CREATE TABLE mediation_events (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mediation_id TEXT COLLATE "C" NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    date         DATE NOT NULL,
    end_date     DATE,
    days         BIGINT,
    mediator_id  TEXT COLLATE "C",
    reason       TEXT COLLATE "C",
    CONSTRAINT mediation_events_identity UNIQUE NULLS NOT DISTINCT
        (mediation_id, kind, date, end_date, days, mediator_id, reason)
);

-- The workflow modules' shared tables (settings, duties, the workflow audit) and mediation
-- (workflows.md §0, §1). Dates are ISO text, flags 0/1, enums their English ids, lists joined by
-- '；'. A shipped migration is never edited: add a new file instead.

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
);

-- Duties (职责) beside the role; a mediator's account is linked to one mediator.
CREATE TABLE user_duties (
    username    TEXT PRIMARY KEY,
    duties      TEXT NOT NULL,
    mediator_id TEXT
);

-- Every create, change and action of a workflow record, with the changed fields before and
-- after (JSON objects); append-only.
CREATE TABLE workflow_audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    module    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL
);
CREATE INDEX workflow_audit_entity ON workflow_audit (module, entity_id, id);

CREATE TABLE mediation_orgs (
    org_id       TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    court_code   TEXT NOT NULL,
    docking      TEXT,
    specialities TEXT NOT NULL,
    charges_fee  INTEGER NOT NULL,
    status       TEXT NOT NULL,
    joined_date  TEXT,
    left_date    TEXT
);

CREATE TABLE mediators (
    mediator_id    TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    org_id         TEXT,
    court_code     TEXT NOT NULL,
    background     TEXT,
    specialities   TEXT NOT NULL,
    resident       INTEGER NOT NULL,
    online         INTEGER NOT NULL,
    certificate_no TEXT,
    status         TEXT NOT NULL,
    joined_date    TEXT,
    left_date      TEXT
);

CREATE TABLE mediations (
    mediation_id             TEXT PRIMARY KEY,
    court_code               TEXT NOT NULL,
    kind                     TEXT NOT NULL,
    case_number              TEXT,
    procedure                TEXT,
    cause                    TEXT,
    claim_amount             INTEGER,
    registered_date          TEXT NOT NULL,
    referred_date            TEXT,
    org_id                   TEXT,
    mediator_id              TEXT,
    accepted_date            TEXT,
    online                   INTEGER NOT NULL,
    outcome                  TEXT,
    concluded_date           TEXT,
    agreement_path           TEXT,
    performed                INTEGER,
    failure_reason           TEXT,
    wants_suit               INTEGER NOT NULL,
    confirmation_case_number TEXT,
    document_case_number     TEXT,
    filed_case_number        TEXT,
    filed_date               TEXT
);
CREATE INDEX mediations_court ON mediations (court_code, registered_date);
CREATE INDEX mediations_mediator ON mediations (mediator_id);

-- Events are de-duplicated on all their fields.
CREATE TABLE mediation_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    mediation_id TEXT NOT NULL,
    kind         TEXT NOT NULL,
    date         TEXT NOT NULL,
    end_date     TEXT,
    days         INTEGER,
    mediator_id  TEXT,
    reason       TEXT
);
CREATE UNIQUE INDEX mediation_events_identity ON mediation_events
    (mediation_id, kind, date, coalesce(end_date, ''), coalesce(days, -1),
     coalesce(mediator_id, ''), coalesce(reason, ''));

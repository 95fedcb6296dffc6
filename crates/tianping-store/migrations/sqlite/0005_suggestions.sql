-- Judicial suggestions (司法建议), workflows.md §3: each kept whole as JSON of its exchange
-- columns beside its key and court.
CREATE TABLE suggestions (
    suggestion_no TEXT PRIMARY KEY,
    court_code    TEXT NOT NULL,
    record        TEXT NOT NULL
);
CREATE INDEX suggestions_court ON suggestions (court_code);

-- Petitions (信访件) and matters (信访事项), workflows.md §2. Each record is kept whole as JSON
-- (`record`, the exchange columns' English names), with the columns the lists and the scope
-- look up beside it; the module computes states, deadlines and figures from the records.
CREATE TABLE petition_matters (
    matter_id  TEXT PRIMARY KEY,
    court_code TEXT,
    record     TEXT NOT NULL
);

CREATE TABLE petitions (
    petition_id   TEXT PRIMARY KEY,
    court_code    TEXT NOT NULL,
    received_date TEXT NOT NULL,
    matter_id     TEXT,
    record        TEXT NOT NULL
);
CREATE INDEX petitions_court ON petitions (court_code, received_date);
CREATE INDEX petitions_matter ON petitions (matter_id);

-- Enforcement records (执行), workflows.md §5: 终本 checklists, post-termination searches,
-- dishonest listings and enforcement actions, each kept whole as JSON beside its key and court.
CREATE TABLE termination_checks (
    case_number TEXT PRIMARY KEY,
    court_code  TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX termination_checks_court ON termination_checks (court_code);
CREATE TABLE post_termination_searches (
    search_key  TEXT PRIMARY KEY,
    court_code  TEXT NOT NULL,
    case_number TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX post_termination_searches_case ON post_termination_searches (case_number);
CREATE TABLE dishonest_listings (
    listing_id  TEXT PRIMARY KEY,
    court_code  TEXT NOT NULL,
    case_number TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX dishonest_listings_court ON dishonest_listings (court_code);
CREATE TABLE enforcement_actions (
    action_id  TEXT PRIMARY KEY,
    court_code TEXT NOT NULL,
    record     TEXT NOT NULL
);

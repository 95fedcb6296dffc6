-- Court-fee refunds (诉讼费退费), workflows.md §4: each kept whole as JSON of its exchange
-- columns beside its key, court and case (the case page lists its refunds).
CREATE TABLE fee_refunds (
    refund_id   TEXT PRIMARY KEY,
    court_code  TEXT NOT NULL,
    case_number TEXT NOT NULL,
    record      TEXT NOT NULL
);
CREATE INDEX fee_refunds_court ON fee_refunds (court_code);
CREATE INDEX fee_refunds_case ON fee_refunds (case_number);

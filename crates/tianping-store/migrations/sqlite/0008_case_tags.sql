-- Case tags (案件标签), workflows.md §0.9: a case may carry several tags (涉民营企业账款,
-- 长期未结督办, …), used by `--tag`.
CREATE TABLE case_tags (
    case_number TEXT NOT NULL,
    tag         TEXT NOT NULL,
    PRIMARY KEY (case_number, tag)
);
CREATE INDEX case_tags_tag ON case_tags (tag);

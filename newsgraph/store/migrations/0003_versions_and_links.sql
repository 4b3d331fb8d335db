-- 0003: a page's canonical URL and its version among pages at that URL; links feeds name without content.

ALTER TABLE pages ADD COLUMN canonical_url TEXT;
ALTER TABLE pages ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX pages_canonical_url ON pages (canonical_url, version);

CREATE TABLE to_fetch (
    url      TEXT PRIMARY KEY,
    origin   TEXT NOT NULL,
    title    TEXT,
    date     TEXT,
    seen_at  TEXT NOT NULL
);

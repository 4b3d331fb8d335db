-- 0001_initial: pages, articles, entities + mentions, events, errors.
-- Applied by newsgraph.store.sqlite inside one transaction; no BEGIN/COMMIT here.

CREATE TABLE pages (
    doc_id       TEXT PRIMARY KEY,
    origin       TEXT NOT NULL,
    fmt          TEXT NOT NULL,
    url          TEXT,
    content_hash TEXT,
    ingested_at  TEXT NOT NULL
);

CREATE TABLE articles (
    doc_id    TEXT PRIMARY KEY REFERENCES pages(doc_id) ON DELETE CASCADE,
    title     TEXT,
    date      TEXT,
    published TEXT,
    modified  TEXT,
    agency    TEXT,
    outlet    TEXT,
    section   TEXT,
    language  TEXT,
    url       TEXT,
    summary   TEXT,
    body      TEXT NOT NULL,
    json      TEXT NOT NULL  -- serialize.article_json()
);
CREATE INDEX articles_date ON articles(date, doc_id);

CREATE TABLE entities (
    id       INTEGER PRIMARY KEY,
    doc_id   TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    type     TEXT NOT NULL,
    country  TEXT COLLATE NOCASE,
    sector   TEXT,
    role     TEXT,
    actor_id TEXT,
    json     TEXT NOT NULL  -- serialize.entity_json()
);
CREATE INDEX entities_doc_id ON entities(doc_id);
CREATE INDEX entities_country ON entities(country);

CREATE TABLE mentions (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX mentions_entity_id ON mentions(entity_id);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    doc_id         TEXT NOT NULL REFERENCES articles(doc_id) ON DELETE CASCADE,
    source_name    TEXT NOT NULL,
    source_country TEXT COLLATE NOCASE,
    source_sector  TEXT,
    target_name    TEXT,
    target_country TEXT COLLATE NOCASE,
    target_sector  TEXT,
    plover         TEXT NOT NULL COLLATE NOCASE,
    cameo          TEXT NOT NULL,
    goldstein      REAL NOT NULL,
    quad           INTEGER NOT NULL,
    status         TEXT NOT NULL,
    date           TEXT,
    date_precision TEXT,
    sentence       TEXT NOT NULL,
    start          INTEGER NOT NULL,
    end            INTEGER NOT NULL,
    json           TEXT NOT NULL  -- serialize.event_json()
);
CREATE INDEX events_doc_id ON events(doc_id);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_source_country ON events(source_country, target_country);
CREATE INDEX events_target_country ON events(target_country, source_country);
CREATE INDEX events_plover ON events(plover);

CREATE TABLE errors (
    id           INTEGER PRIMARY KEY,
    origin       TEXT NOT NULL,
    stage        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    content_hash TEXT,
    at           TEXT NOT NULL,
    UNIQUE (origin, stage, reason)
);

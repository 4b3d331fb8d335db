-- 0004: the corpus layer. Near-duplicate fingerprints and LSH bands, each article's canonical copy, stories, and
-- happenings (one event reported by many articles) with the events that mention them.

CREATE TABLE fingerprints (
    doc_id    TEXT PRIMARY KEY REFERENCES pages(doc_id) ON DELETE CASCADE,
    size      INTEGER NOT NULL,
    signature BLOB NOT NULL
);

CREATE TABLE lsh_bands (
    band   INTEGER NOT NULL,
    key    BLOB NOT NULL,
    doc_id TEXT NOT NULL REFERENCES pages(doc_id) ON DELETE CASCADE
);
CREATE INDEX lsh_bands_key ON lsh_bands (band, key);

CREATE TABLE copies (
    doc_id       TEXT PRIMARY KEY REFERENCES pages(doc_id) ON DELETE CASCADE,
    canonical_id TEXT NOT NULL
);
CREATE INDEX copies_canonical ON copies (canonical_id);

CREATE TABLE stories (
    id         INTEGER PRIMARY KEY,
    title      TEXT,
    first_date TEXT,
    last_date  TEXT,
    actors     TEXT NOT NULL,  -- JSON: actor -> mentions
    words      TEXT NOT NULL   -- JSON: title words
);
CREATE INDEX stories_last_date ON stories (last_date);

CREATE TABLE story_terms (  -- each story's actors and headline words, for finding candidate stories fast
    term      TEXT NOT NULL,
    story_id  INTEGER NOT NULL REFERENCES stories(id),
    last_date TEXT,
    PRIMARY KEY (term, story_id)
);
CREATE INDEX story_terms_term ON story_terms (term, last_date);
CREATE INDEX story_terms_story ON story_terms (story_id);

CREATE TABLE story_articles (
    doc_id   TEXT PRIMARY KEY REFERENCES pages(doc_id) ON DELETE CASCADE,
    story_id INTEGER NOT NULL REFERENCES stories(id)
);
CREATE INDEX story_articles_story ON story_articles (story_id);

CREATE TABLE happenings (
    id             INTEGER PRIMARY KEY,
    source_country TEXT,
    target_country TEXT,
    plover         TEXT NOT NULL,
    date           TEXT,
    last_date      TEXT,
    place_country  TEXT,
    first_seen     TEXT,
    last_seen      TEXT,
    mentions       INTEGER NOT NULL DEFAULT 0,
    articles       INTEGER NOT NULL DEFAULT 0,
    sources        INTEGER NOT NULL DEFAULT 0,
    independent    INTEGER NOT NULL DEFAULT 0,
    confidence     REAL,
    json           TEXT NOT NULL   -- the first mention's event JSON
);
CREATE INDEX happenings_dyad ON happenings (source_country, target_country, plover, date);

CREATE TABLE happening_mentions (
    event_id     INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    happening_id INTEGER NOT NULL REFERENCES happenings(id)
);
CREATE INDEX happening_mentions_happening ON happening_mentions (happening_id);

-- 0005: full-text search over article titles and bodies (FTS5, external content: the articles table).

CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='rowid');
INSERT INTO articles_fts (rowid, title, body) SELECT rowid, title, body FROM articles;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;

CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
END;

-- articles.sqlite, schema version 3 (`PRAGMA user_version`). Offsets (start, "end") count
-- code points in the paragraph named by `paragraph`, as everywhere in copydesk. JSON columns
-- hold JSON arrays. The tables of an article's parts refer to it by `article_key`, the
-- article's integer key in this database (`JOIN articles USING (article_key)`); `articles.id`
-- is copydesk's stable article id, the one every other export carries.

CREATE TABLE IF NOT EXISTS runs (
    run_id           INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at       TEXT NOT NULL,          -- UTC, ISO 8601
    finished_at      TEXT,                   -- NULL: the run did not finish
    exporter_version TEXT NOT NULL,
    options          TEXT NOT NULL,          -- JSON
    n_articles       INTEGER NOT NULL DEFAULT 0,
    n_replaced       INTEGER NOT NULL DEFAULT 0  -- articles already in the database
);

CREATE TABLE IF NOT EXISTS articles (
    article_key    INTEGER PRIMARY KEY,      -- key in this database; kept when re-exported
    id             TEXT NOT NULL UNIQUE,     -- copydesk's stable article id
    headline       TEXT NOT NULL,
    published      TEXT,                     -- YYYY-MM-DD
    source_path    TEXT,
    source_line    INTEGER,
    source_url     TEXT,
    publisher      TEXT,
    byline         TEXT,                     -- JSON
    dateline       TEXT,
    dateline_place TEXT,
    language       TEXT,                     -- top label of the language classifier
    topic          TEXT,                     -- top label of the topic classifier
    tone           REAL,                     -- tone classifier, -1 .. 1
    n_paragraphs   INTEGER NOT NULL,
    n_words        INTEGER NOT NULL,
    credits        TEXT NOT NULL,            -- JSON [{agency, text}]
    repairs        TEXT NOT NULL,            -- JSON [{kind, span, before, after}]
    boilerplate    TEXT,                     -- JSON
    run_id         INTEGER NOT NULL REFERENCES runs (run_id)
);
CREATE INDEX IF NOT EXISTS articles_by_published ON articles (published);
CREATE INDEX IF NOT EXISTS articles_by_topic ON articles (topic, published);
CREATE INDEX IF NOT EXISTS articles_by_language ON articles (language);

CREATE TABLE IF NOT EXISTS paragraphs (
    article_key INTEGER NOT NULL REFERENCES articles (article_key) ON DELETE CASCADE,
    paragraph   INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (article_key, paragraph)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS entities (
    article_key INTEGER NOT NULL REFERENCES articles (article_key) ON DELETE CASCADE,
    entity_id   TEXT NOT NULL,               -- e1, e2, … within the article
    kind        TEXT NOT NULL,               -- person, organization, place, other
    name        TEXT NOT NULL,               -- canonical name
    aliases     TEXT,                        -- JSON
    titles      TEXT,                        -- JSON
    n_mentions  INTEGER NOT NULL,
    PRIMARY KEY (article_key, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (name, kind);
CREATE INDEX IF NOT EXISTS entities_by_kind ON entities (kind, name);

CREATE TABLE IF NOT EXISTS mentions (
    article_key INTEGER NOT NULL,
    entity_id   TEXT NOT NULL,
    mention_idx INTEGER NOT NULL,
    text        TEXT NOT NULL,
    paragraph   INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (article_key, entity_id, mention_idx),
    FOREIGN KEY (article_key, entity_id) REFERENCES entities (article_key, entity_id)
        ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS quotes (
    article_key      INTEGER NOT NULL REFERENCES articles (article_key) ON DELETE CASCADE,
    quote_idx        INTEGER NOT NULL,
    kind             TEXT NOT NULL,          -- direct, indirect
    text             TEXT NOT NULL,
    cue              TEXT,
    speaker_entity   TEXT,                   -- entities.entity_id of the same article
    speaker          TEXT,                   -- its canonical name
    addressee_entity TEXT,
    addressee        TEXT,
    paragraph        INTEGER,                -- where the quote starts
    start            INTEGER,
    "end"            INTEGER,                -- end in the last paragraph it covers
    spans            TEXT NOT NULL,          -- JSON [{paragraph, start, end}]
    confidence       REAL NOT NULL,
    rule             TEXT NOT NULL,
    PRIMARY KEY (article_key, quote_idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker);

CREATE TABLE IF NOT EXISTS dates (
    article_key INTEGER NOT NULL REFERENCES articles (article_key) ON DELETE CASCADE,
    date_idx    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    value       TEXT NOT NULL,               -- ISO date, month, year or range
    resolution  TEXT NOT NULL,
    paragraph   INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    PRIMARY KEY (article_key, date_idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dates_by_value ON dates (value);

CREATE TABLE IF NOT EXISTS labels (
    article_key INTEGER NOT NULL REFERENCES articles (article_key) ON DELETE CASCADE,
    classifier  TEXT NOT NULL,
    rank        INTEGER NOT NULL,            -- 0 = the top label
    value       TEXT NOT NULL,
    score       REAL NOT NULL,
    extra       TEXT,                        -- JSON
    PRIMARY KEY (article_key, classifier, rank)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS labels_by_value ON labels (classifier, value);

-- Each article's text as the full-text index sees it: its headline, and its paragraphs joined
-- by blank lines.
CREATE VIEW IF NOT EXISTS article_texts AS
    SELECT article_key, headline,
           (SELECT group_concat(text, char(10) || char(10))
            FROM (SELECT text FROM paragraphs AS p
                  WHERE p.article_key = a.article_key ORDER BY paragraph)) AS body
    FROM articles AS a;

-- Full-text index over headline and body; its rowid is the article's `article_key`. It keeps
-- no copy of the text: `snippet`, `highlight` and its columns read `article_texts`.
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5 (
    headline, body, content = 'article_texts', content_rowid = 'article_key',
    tokenize = 'unicode61 remove_diacritics 2'
);

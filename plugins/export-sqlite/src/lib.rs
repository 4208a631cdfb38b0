//! Writes `articles.sqlite`: the run as normalised tables (articles, paragraphs, quotes,
//! entities, mentions, dates, labels, runs) with keys, indexes and an FTS5 full-text index over
//! headline and body. `docs/sqlite.md` documents the schema and the queries it is built for.
//!
//! # Re-runs and atomicity
//!
//! Articles are upserted by id: exporting a corpus again into the same folder replaces each
//! article's rows instead of adding new ones, and articles of earlier runs that this run does
//! not see are kept. Every run is one row of `runs`.
//!
//! The database is still written under a temporary name and renamed at finish, so a failed run
//! leaves the previous `articles.sqlite` untouched: at open, an existing database is copied
//! (with `VACUUM INTO`, a consistent snapshot even of a database in WAL mode) to the temporary
//! file, the run writes there, and the copy replaces the original at finish. The price is one
//! copy of the existing database per run. `mode = "replace"` starts from an empty database.
//!
//! # Bulk loading
//!
//! Because the temporary file of a failed or interrupted run is never reopened (a failed run
//! deletes it), the load needs none of SQLite's crash protection: no journal, no fsync
//! (`finish` syncs the finished file once before the rename), an exclusive lock taken once.
//! Articles are committed in large transactions (`transaction_size`). Each transaction's
//! articles are indexed for full-text search in one statement before it commits (see
//! `FULL_TEXT_PENDING`); the index reads their text from the tables (`article_texts`) and
//! keeps no copy of it. The tables of an article's parts are keyed by the
//! article's integer key, which grows with every new article, so a new article's rows are
//! appended at the end of each table rather than inserted at the place of a random text id,
//! and pages are 16 KiB. Into an empty database, rows go in without the secondary indexes,
//! which `finish` builds in one pass each. At finish the file is switched to a rollback
//! journal, so the delivered file is one self-contained file that opens anywhere, even
//! read-only.

use std::path::{Path, PathBuf};

use plugin_api::article::{Article, QuoteKind};
use plugin_api::{ExportContext, Exporter, PluginError, Record};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Deserialize;

/// Options of the `sqlite` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File name inside the output folder.
    #[serde(default = "default_file")]
    pub file: String,
    /// `upsert` (default): keep an existing database and replace the articles seen again;
    /// `replace`: start from an empty database.
    #[serde(default)]
    pub mode: Mode,
    /// Articles per transaction.
    #[serde(default = "default_transaction_size")]
    pub transaction_size: usize,
    /// Classifier whose top label fills `articles.language`.
    #[serde(default = "default_language")]
    pub language_classifier: String,
    /// Classifier whose top label fills `articles.topic`.
    #[serde(default = "default_topic")]
    pub topic_classifier: String,
    /// Classifier whose top label gives `articles.tone` (its `extra.tone`, else its score).
    #[serde(default = "default_tone")]
    pub tone_classifier: String,
}

/// What to do with a database already in the output folder.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Keep it; articles seen again replace their earlier rows.
    #[default]
    Upsert,
    /// Start from an empty database.
    Replace,
}

fn default_file() -> String {
    "articles.sqlite".to_string()
}

fn default_transaction_size() -> usize {
    5000
}

fn default_language() -> String {
    "language".to_string()
}

fn default_topic() -> String {
    "topic".to_string()
}

fn default_tone() -> String {
    "tone".to_string()
}

/// The schema, created when missing. Also printed in `docs/sqlite.md`; a test keeps the two
/// the same.
pub const SCHEMA: &str = include_str!("schema.sql");

/// The version of `SCHEMA`, kept in the database as `PRAGMA user_version`. Version 1 keyed the
/// tables of an article's parts by the text id; version 2 by the integer `article_key`, with a
/// full-text index that kept its own copy of every article's text; version 3's index reads the
/// text from the tables (the view `article_texts`).
pub const SCHEMA_VERSION: i64 = 3;

/// The page size of a new database, in bytes.
const PAGE_SIZE: i64 = 16384;

/// The articles of the open transaction not yet in the full-text index, held back until its
/// end (in memory, not in the database file: `temp_store = MEMORY`).
///
/// FTS5 keeps the terms of new rows in memory and writes them out as a new segment of its
/// index whenever a statement inside the transaction opens a savepoint, which nearly every
/// INSERT does. Inserted row by row among the other tables, each article became a segment of
/// its own, and FTS5 spent most of the export writing and merging tiny segments. Indexed in
/// one statement at the end of the transaction, the terms of thousands of articles go out
/// together, in large segments.
///
/// The index keeps no copy of the text (its content is the view `article_texts`), so taking
/// an article's terms out of it needs the text they came from: an article that replaces one
/// already indexed keeps that one's text here, read before its rows are replaced.
const FULL_TEXT_PENDING: &str = "
    CREATE TEMP TABLE IF NOT EXISTS fts_pending (
        article_key  INTEGER PRIMARY KEY,   -- `articles.article_key`, the full-text rowid
        replaced     INTEGER NOT NULL,      -- 1: its indexed text, below, must go first
        old_headline TEXT,
        old_body     TEXT
    );";

/// Indexes the pending articles, first taking out the terms of the text they replace.
const FLUSH_FULL_TEXT: &str = "
    INSERT INTO articles_fts (articles_fts, rowid, headline, body)
        SELECT 'delete', article_key, old_headline, old_body FROM temp.fts_pending
        WHERE replaced ORDER BY article_key;
    INSERT INTO articles_fts (rowid, headline, body)
        SELECT t.article_key, t.headline, t.body
        FROM temp.fts_pending AS p JOIN article_texts AS t ON t.article_key = p.article_key
        ORDER BY p.article_key;
    DELETE FROM temp.fts_pending;";

/// The exporter.
pub struct Sqlite {
    options: Options,
    connection: Option<Connection>,
    final_path: PathBuf,
    temp_path: PathBuf,
    run_id: i64,
    n_articles: u64,
    n_replaced: u64,
    n_in_transaction: usize,
    /// The secondary indexes were dropped for the load and are built at finish.
    indexes_deferred: bool,
}

impl Exporter for Sqlite {
    const NAME: &'static str = "sqlite";
    const DESCRIPTION: &'static str = "articles.sqlite: normalised tables, FTS5 full-text index";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        let final_path = context.file_path(&options.file)?;
        if options.transaction_size == 0 {
            return Err(PluginError::new(
                "option `transaction_size` must be at least 1",
            ));
        }
        let temp_path =
            context
                .out_dir
                .join(format!(".{}.{}.tmp", options.file, std::process::id()));
        remove_database(&temp_path);
        if options.mode == Mode::Upsert
            && final_path.exists()
            && let Err(error) = copy_existing(&final_path, &temp_path)
        {
            remove_database(&temp_path);
            return Err(error);
        }
        let connection = Connection::open(&temp_path).map_err(|error| sql_error(&error))?;
        // Room for every statement `write_article` runs (17 kinds), so
        // none is compiled again per article.
        connection.set_prepared_statement_cache_capacity(32);
        let mut exporter = Sqlite {
            options,
            connection: Some(connection),
            final_path,
            temp_path,
            run_id: 0,
            n_articles: 0,
            n_replaced: 0,
            n_in_transaction: 0,
            indexes_deferred: false,
        };
        exporter.prepare()?;
        Ok(exporter)
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        let article = record.article()?;
        let connection = self.connection()?;
        if self.n_in_transaction == 0 {
            connection
                .execute_batch("BEGIN")
                .map_err(|error| sql_error(&error))?;
        }
        let replaced =
            write_article(connection, article, &self.options, self.run_id).map_err(|error| {
                PluginError::new(format!("article {}: {}", article.id, sql_message(&error)))
            })?;
        self.n_articles += 1;
        self.n_replaced += u64::from(replaced);
        self.n_in_transaction += 1;
        if self.n_in_transaction >= self.options.transaction_size {
            self.commit()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        if self.n_in_transaction > 0 {
            self.commit()?;
        }
        let connection = self.connection()?;
        connection
            .execute(
                "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                                 n_articles = ?2, n_replaced = ?3
                 WHERE run_id = ?1",
                params![self.run_id, int(self.n_articles), int(self.n_replaced)],
            )
            .map_err(|error| sql_error(&error))?;
        if self.indexes_deferred {
            // Each index is built by sorting its whole table. The sort spills what does not
            // fit in its share of memory to temporary files, which `temp_store = MEMORY` would
            // keep in memory, so the peak would grow with the corpus: at 100,000 articles the
            // index builds added 133 MB to it in memory, 73 MB with files. The pending
            // full-text rows, the one use of memory temp storage, are all written by now;
            // changing `temp_store` drops their empty table.
            connection
                .pragma_update(None, "temp_store", "FILE")
                .map_err(|error| sql_error(&error))?;
            // The schema creates what is missing: the indexes dropped at open.
            connection
                .execute_batch(&format!("BEGIN; {SCHEMA} COMMIT;"))
                .map_err(|error| sql_error(&error))?;
        }
        set_journal_mode(connection, "DELETE")?;
        if let Some(connection) = self.connection.take() {
            connection.close().map_err(|(_, error)| sql_error(&error))?;
        }
        std::fs::File::open(&self.temp_path)
            .and_then(|file| file.sync_all())
            .map_err(|error| {
                PluginError::new(format!("cannot sync {}: {error}", self.temp_path.display()))
            })?;
        std::fs::rename(&self.temp_path, &self.final_path).map_err(|error| {
            PluginError::new(format!(
                "cannot move the database to {}: {error}",
                self.final_path.display()
            ))
        })?;
        // A database from an earlier run may have left its WAL beside the final name; it
        // belongs to the file just replaced and must not be applied to the new one.
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(&self.final_path, suffix));
        }
        Ok(())
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        // A run that did not reach finish leaves nothing behind: the temporary database goes,
        // the previous final one was never touched.
        if let Some(connection) = self.connection.take() {
            drop(connection);
            remove_database(&self.temp_path);
        }
    }
}

impl Sqlite {
    fn connection(&self) -> Result<&Connection, PluginError> {
        self.connection
            .as_ref()
            .ok_or_else(|| PluginError::new("the database is already closed"))
    }

    /// Settings, schema and this run's row.
    fn prepare(&mut self) -> Result<(), PluginError> {
        let connection = self.connection()?;
        let fts5: bool = connection
            .query_row(
                "SELECT sqlite_compileoption_used('ENABLE_FTS5')",
                [],
                |row| row.get(0),
            )
            .map_err(|error| sql_error(&error))?;
        if !fts5 {
            return Err(PluginError::new(
                "this SQLite build has no FTS5 (full-text search)",
            ));
        }
        check_or_upgrade_schema(connection, &self.final_path)?;
        // Larger pages than SQLite's 4 KiB for a new database (an existing one keeps its
        // own): a page holds four times the rows, so a B-tree is shallower and splits less
        // often, the load runs faster (loading the BBC records, `examples/load.rs`, a probe of
        // this alone took the exporter's time per article down by about a sixth) and the file
        // comes out smaller. Queries over many rows, this database's kind, read fewer pages.
        connection
            .pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(|error| sql_error(&error))?;
        // No rollback journal while loading. The file is our own temporary copy and takes the
        // final name only once complete: after a failure of any kind (an error, a crash, a
        // killed process) nothing ever reopens it (a failed run deletes it), and the database
        // under the final name was never touched, so a journal would never be used to restore
        // anything. Without one, every page is written once, straight into the file, instead
        // of once to a journal (or WAL) and again to the database.
        set_journal_mode(connection, "OFF")?;
        for (pragma, value) in [
            // No fsync while loading, for the same reason: a crash loses only the temporary
            // file, and `finish` syncs the finished file once before renaming it into place.
            ("synchronous", "OFF"),
            // Nobody else opens the temporary file: take the lock once, not per transaction.
            ("locking_mode", "EXCLUSIVE"),
            // The full-text rows waiting for the end of the transaction (`fts_pending`).
            ("temp_store", "MEMORY"),
            // The exporter writes rows whose keys hold by construction (a test checks them
            // with `PRAGMA foreign_key_check`); checking every insert would cost a lookup per
            // row. Readers who open the database get SQLite's default, enforcement off, too.
            ("foreign_keys", "OFF"),
            ("cache_size", "-65536"),
        ] {
            connection
                .pragma_update(None, pragma, value)
                .map_err(|error| sql_error(&error))?;
        }
        connection
            .execute_batch(SCHEMA)
            .map_err(|error| sql_error(&error))?;
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION)
            .map_err(|error| sql_error(&error))?;
        connection
            .execute_batch(FULL_TEXT_PENDING)
            .map_err(|error| sql_error(&error))?;
        let empty: bool = connection
            .query_row("SELECT NOT EXISTS (SELECT 1 FROM articles)", [], |row| {
                row.get(0)
            })
            .map_err(|error| sql_error(&error))?;
        if empty {
            // Into an empty database, rows go in without their secondary indexes (those the
            // schema creates by name; the primary keys stay): `finish` builds each index in
            // one sorted pass, far cheaper than keeping it up to date row by row. Into a
            // database that already holds articles, the indexes stay, as rebuilding them
            // would cost in proportion to everything already there.
            drop_secondary_indexes(connection).map_err(|error| sql_error(&error))?;
        }
        let indexes_deferred = empty;
        let options = serde_json::json!({
            "mode": match self.options.mode { Mode::Upsert => "upsert", Mode::Replace => "replace" },
            "transaction_size": self.options.transaction_size,
        });
        connection
            .execute(
                "INSERT INTO runs (started_at, exporter_version, options)
                 VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2)",
                params![env!("CARGO_PKG_VERSION"), options.to_string()],
            )
            .map_err(|error| sql_error(&error))?;
        let run_id = connection.last_insert_rowid();
        self.run_id = run_id;
        self.indexes_deferred = indexes_deferred;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), PluginError> {
        let connection = self.connection()?;
        connection
            .execute_batch(FLUSH_FULL_TEXT)
            .map_err(|error| sql_error(&error))?;
        connection
            .execute_batch("COMMIT")
            .map_err(|error| sql_error(&error))?;
        self.n_in_transaction = 0;
        Ok(())
    }
}

/// Writes one article and its rows; true when it replaced an article already there.
fn write_article(
    connection: &Connection,
    article: &Article,
    options: &Options,
    run_id: i64,
) -> rusqlite::Result<bool> {
    let existing: Option<i64> = connection
        .prepare_cached("SELECT article_key FROM articles WHERE id = ?1")?
        .query_row([&article.id], |row| row.get(0))
        .optional()?;
    if let Some(key) = existing {
        // The text its full-text entry was made from, whose terms go when the transaction's
        // articles are indexed (`FLUSH_FULL_TEXT`). Kept only if the article is not pending
        // already: one that an earlier article of this transaction replaced or added has
        // its indexed text there, or none.
        connection
            .prepare_cached(
                "INSERT OR IGNORE INTO temp.fts_pending
                     (article_key, replaced, old_headline, old_body)
                 SELECT article_key, 1, headline, body FROM article_texts WHERE article_key = ?1",
            )?
            .execute([key])?;
        // Deleted table by table rather than by ON DELETE CASCADE: foreign keys are not
        // enforced while loading (see `prepare`).
        for sql in [
            "DELETE FROM mentions WHERE article_key = ?1",
            "DELETE FROM entities WHERE article_key = ?1",
            "DELETE FROM quotes WHERE article_key = ?1",
            "DELETE FROM dates WHERE article_key = ?1",
            "DELETE FROM labels WHERE article_key = ?1",
            "DELETE FROM paragraphs WHERE article_key = ?1",
            "DELETE FROM articles WHERE article_key = ?1",
        ] {
            connection.prepare_cached(sql)?.execute([key])?;
        }
    }
    let top = |classifier: &str| article.top_value(classifier);
    let tone = article.tone(&options.tone_classifier);
    let dateline = article.dateline.as_ref();
    connection
        .prepare_cached(
            "INSERT INTO articles (article_key, id, headline, published, source_path, source_line,
                source_url, publisher, byline, dateline, dateline_place, language, topic, tone,
                n_paragraphs, n_words, credits, repairs, boilerplate, run_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                ?17, ?18, ?19, ?20)",
        )?
        .execute(params![
            existing,
            article.id,
            article.headline,
            article.published,
            article.source.path,
            article.source.line.map(int),
            article.source.url,
            article.source.publisher,
            json_list(&article.byline),
            dateline.map(|dateline| dateline.text.as_str()),
            dateline.and_then(|dateline| dateline.place.as_deref()),
            top(&options.language_classifier),
            top(&options.topic_classifier),
            tone,
            int(article.paragraphs.len()),
            int(article.n_words()),
            serde_json::to_string(&article.credits).unwrap_or_default(),
            serde_json::to_string(&article.repairs).unwrap_or_default(),
            json_list(&article.boilerplate),
            run_id,
        ])?;
    // A replaced article keeps its key (given above); a new one gets the next.
    let key = match existing {
        Some(key) => key,
        None => {
            let key = connection.last_insert_rowid();
            connection
                .prepare_cached(
                    "INSERT INTO temp.fts_pending (article_key, replaced) VALUES (?1, 0)",
                )?
                .execute([key])?;
            key
        }
    };

    let mut insert_paragraph = connection.prepare_cached(
        "INSERT INTO paragraphs (article_key, paragraph, text) VALUES (?1, ?2, ?3)",
    )?;
    for (paragraph_idx, text) in article.paragraphs.iter().enumerate() {
        insert_paragraph.execute(params![key, int(paragraph_idx), text])?;
    }

    let mut insert_entity = connection.prepare_cached(
        "INSERT INTO entities (article_key, entity_id, kind, name, aliases, titles, n_mentions)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut insert_mention = connection.prepare_cached(
        "INSERT INTO mentions (article_key, entity_id, mention_idx, text, paragraph, start, \"end\")
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for entity in &article.entities {
        insert_entity.execute(params![
            key,
            entity.id,
            entity.kind.as_str(),
            entity.name,
            json_list(&entity.aliases),
            json_list(&entity.titles),
            int(entity.mentions.len()),
        ])?;
        for (mention_idx, mention) in entity.mentions.iter().enumerate() {
            insert_mention.execute(params![
                key,
                entity.id,
                int(mention_idx),
                mention.text,
                int(mention.span.paragraph),
                int(mention.span.start),
                int(mention.span.end),
            ])?;
        }
    }

    let mut insert_quote = connection.prepare_cached(
        "INSERT INTO quotes (article_key, quote_idx, kind, text, cue, speaker_entity, speaker,
            addressee_entity, addressee, paragraph, start, \"end\", spans, confidence, rule)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?;
    for (quote_idx, quote) in article.quotes.iter().enumerate() {
        let first = quote.spans.first();
        insert_quote.execute(params![
            key,
            int(quote_idx),
            match quote.kind {
                QuoteKind::Direct => "direct",
                QuoteKind::Indirect => "indirect",
            },
            quote.text,
            quote.cue,
            quote
                .speaker
                .as_ref()
                .map(|speaker| speaker.entity.as_str()),
            quote.speaker.as_ref().map(|speaker| speaker.name.as_str()),
            quote
                .addressee
                .as_ref()
                .map(|addressee| addressee.entity.as_str()),
            quote
                .addressee
                .as_ref()
                .map(|addressee| addressee.name.as_str()),
            first.map(|span| int(span.paragraph)),
            first.map(|span| int(span.start)),
            quote.spans.last().map(|span| int(span.end)),
            serde_json::to_string(&quote.spans).unwrap_or_default(),
            quote.confidence,
            quote.rule,
        ])?;
    }

    let mut insert_date = connection.prepare_cached(
        "INSERT INTO dates (article_key, date_idx, text, value, resolution, paragraph, start, \"end\")
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (date_idx, date) in article.dates.iter().enumerate() {
        insert_date.execute(params![
            key,
            int(date_idx),
            date.text,
            date.value,
            date.resolution,
            int(date.span.paragraph),
            int(date.span.start),
            int(date.span.end),
        ])?;
    }

    let mut insert_label = connection.prepare_cached(
        "INSERT INTO labels (article_key, classifier, rank, value, score, extra)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (classifier, labels) in &article.labels {
        for (rank, label) in labels.iter().enumerate() {
            let extra = (!label.extra.is_empty())
                .then(|| serde_json::to_string(&label.extra).unwrap_or_default());
            insert_label.execute(params![
                key,
                classifier,
                int(rank),
                label.value,
                label.score,
                extra
            ])?;
        }
    }
    Ok(existing.is_some())
}

/// The names of the secondary indexes `SCHEMA` creates (`CREATE INDEX IF NOT EXISTS name`).
fn schema_indexes() -> impl Iterator<Item = &'static str> {
    SCHEMA
        .lines()
        .filter_map(|line| line.strip_prefix("CREATE INDEX IF NOT EXISTS "))
        .filter_map(|rest| rest.split_whitespace().next())
}

/// Drops the secondary indexes of the schema (only those: an index someone added stays).
/// `SCHEMA` creates them again.
fn drop_secondary_indexes(connection: &Connection) -> rusqlite::Result<()> {
    for name in schema_indexes() {
        connection.execute_batch(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    Ok(())
}

/// Refuses a database this exporter cannot add to: one with an `articles` table from another
/// version of the schema (version 1 predates `PRAGMA user_version` and reads 0).
fn check_or_upgrade_schema(connection: &Connection, path: &Path) -> Result<(), PluginError> {
    let has_articles: bool = connection
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'articles')",
            [],
            |row| row.get(0),
        )
        .map_err(|error| sql_error(&error))?;
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| sql_error(&error))?;
    if !has_articles || version == SCHEMA_VERSION {
        return Ok(());
    }
    let cannot_upgrade = |from: i64, error: rusqlite::Error| {
        PluginError::new(format!(
            "{}: cannot upgrade it from schema version {from}: {}",
            path.display(),
            sql_message(&error)
        ))
    };
    if version == 2 {
        return upgrade_from_2(connection).map_err(|error| cannot_upgrade(2, error));
    }
    if version == 0 && is_schema_1(connection).map_err(|error| sql_error(&error))? {
        return upgrade_from_1(connection).map_err(|error| cannot_upgrade(1, error));
    }
    let found = if version == 0 {
        "no copydesk schema".to_string()
    } else {
        format!("schema version {version}")
    };
    Err(PluginError::new(format!(
        "{} has {found}; this exporter writes version {SCHEMA_VERSION}, adds to a database of \
         that version and upgrades one of versions 1 and 2: move the file away, or set `mode = \
         \"replace\"` in the `sqlite` exporter's options to start a new database",
        path.display()
    )))
}

/// Schema version 1 set no `user_version`; its tables of an article's parts have a column
/// `article_id`, the article's text id.
fn is_schema_1(connection: &Connection) -> rusqlite::Result<bool> {
    connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM pragma_table_info('paragraphs') WHERE name = 'article_id')
            AND NOT EXISTS (SELECT 1 FROM pragma_table_info('articles') WHERE name = 'article_key')",
        [],
        |row| row.get(0),
    )
}

/// The tables of an article's parts in schema version 1, renamed out of the way of version 2's.
const VERSION_1_TABLES: &[&str] = &[
    "articles",
    "paragraphs",
    "entities",
    "mentions",
    "quotes",
    "dates",
    "labels",
];

/// Copies the rows of the renamed version 1 tables into the current ones. An article's key is
/// its rowid in version 1, which its full-text index used as its own rowid.
const ROWS_FROM_VERSION_1: &str = r#"
    INSERT INTO articles (article_key, id, headline, published, source_path, source_line,
                          source_url, publisher, byline, dateline, dateline_place, language,
                          topic, tone, n_paragraphs, n_words, credits, repairs, boilerplate,
                          run_id)
        SELECT rowid, id, headline, published, source_path, source_line, source_url, publisher,
               byline, dateline, dateline_place, language, topic, tone, n_paragraphs, n_words,
               credits, repairs, boilerplate, run_id
        FROM v1_articles ORDER BY rowid;
    INSERT INTO paragraphs (article_key, paragraph, text)
        SELECT a.article_key, p.paragraph, p.text
        FROM v1_paragraphs AS p JOIN articles AS a ON a.id = p.article_id ORDER BY 1, 2;
    INSERT INTO entities (article_key, entity_id, kind, name, aliases, titles, n_mentions)
        SELECT a.article_key, e.entity_id, e.kind, e.name, e.aliases, e.titles, e.n_mentions
        FROM v1_entities AS e JOIN articles AS a ON a.id = e.article_id ORDER BY 1, 2;
    INSERT INTO mentions (article_key, entity_id, mention_idx, text, paragraph, start, "end")
        SELECT a.article_key, m.entity_id, m.mention_idx, m.text, m.paragraph, m.start, m."end"
        FROM v1_mentions AS m JOIN articles AS a ON a.id = m.article_id ORDER BY 1, 2, 3;
    INSERT INTO quotes (article_key, quote_idx, kind, text, cue, speaker_entity, speaker,
                        addressee_entity, addressee, paragraph, start, "end", spans, confidence,
                        rule)
        SELECT a.article_key, q.quote_idx, q.kind, q.text, q.cue, q.speaker_entity, q.speaker,
               q.addressee_entity, q.addressee, q.paragraph, q.start, q."end", q.spans,
               q.confidence, q.rule
        FROM v1_quotes AS q JOIN articles AS a ON a.id = q.article_id ORDER BY 1, 2;
    INSERT INTO dates (article_key, date_idx, text, value, resolution, paragraph, start, "end")
        SELECT a.article_key, d.date_idx, d.text, d.value, d.resolution, d.paragraph, d.start,
               d."end"
        FROM v1_dates AS d JOIN articles AS a ON a.id = d.article_id ORDER BY 1, 2;
    INSERT INTO labels (article_key, classifier, rank, value, score, extra)
        SELECT a.article_key, l.classifier, l.rank, l.value, l.score, l.extra
        FROM v1_labels AS l JOIN articles AS a ON a.id = l.article_id ORDER BY 1, 2, 3;
"#;

/// Indexes every article for full-text search again, from the tables (`article_texts`).
const REBUILD_FULL_TEXT: &str = "INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');";

/// Upgrades a database of schema version 1 in one transaction (on the run's own copy: the file
/// under the final name is replaced only when the run finishes). The indexes are dropped while
/// the rows are copied and built once at the end; the full-text index, which kept its own copy
/// of the text, is made again from the tables. The runs stay as they are, and the pages keep
/// the size the database has.
fn upgrade_from_1(connection: &Connection) -> rusqlite::Result<()> {
    in_transaction(connection, || {
        drop_secondary_indexes(connection)?;
        connection.execute_batch("DROP TABLE articles_fts")?;
        for table in VERSION_1_TABLES {
            connection.execute_batch(&format!("ALTER TABLE {table} RENAME TO v1_{table}"))?;
        }
        connection.execute_batch(SCHEMA)?;
        drop_secondary_indexes(connection)?;
        connection.execute_batch(ROWS_FROM_VERSION_1)?;
        for table in VERSION_1_TABLES.iter().rev() {
            connection.execute_batch(&format!("DROP TABLE v1_{table}"))?;
        }
        connection.execute_batch(SCHEMA)?;
        connection.execute_batch(REBUILD_FULL_TEXT)?;
        connection.pragma_update(None, "user_version", SCHEMA_VERSION)
    })
}

/// Upgrades a database of schema version 2, whose full-text index kept its own copy of every
/// article's text, in one transaction: the index is made again from the tables, and the rest
/// stays as it is.
fn upgrade_from_2(connection: &Connection) -> rusqlite::Result<()> {
    in_transaction(connection, || {
        connection.execute_batch("DROP TABLE articles_fts")?;
        connection.execute_batch(SCHEMA)?;
        connection.execute_batch(REBUILD_FULL_TEXT)?;
        connection.pragma_update(None, "user_version", SCHEMA_VERSION)
    })
}

/// Runs `work` in a transaction, committed if it succeeds and rolled back if not.
fn in_transaction(
    connection: &Connection,
    work: impl FnOnce() -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    connection.execute_batch("BEGIN")?;
    match work() {
        Ok(()) => connection.execute_batch("COMMIT"),
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

/// Copies the database at `from` to the new file `to`. `VACUUM INTO` makes a consistent
/// snapshot (a database in WAL mode included) and compacts it on the way.
fn copy_existing(from: &Path, to: &Path) -> Result<(), PluginError> {
    let cannot = |error: rusqlite::Error| {
        PluginError::new(format!(
            "cannot copy the existing {}: {}",
            from.display(),
            sql_message(&error)
        ))
    };
    let source = Connection::open_with_flags(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(cannot)?;
    source
        .execute("VACUUM INTO ?1", [to.to_string_lossy()])
        .map_err(cannot)?;
    source.close().map_err(|(_, error)| cannot(error))
}

fn set_journal_mode(connection: &Connection, mode: &str) -> Result<(), PluginError> {
    let set: String = connection
        .pragma_update_and_check(None, "journal_mode", mode, |row| row.get(0))
        .map_err(|error| sql_error(&error))?;
    if set.eq_ignore_ascii_case(mode) {
        Ok(())
    } else {
        Err(PluginError::new(format!(
            "SQLite: cannot set journal mode {mode} (it is {set})"
        )))
    }
}

/// SQLite integers are signed 64-bit; counts and offsets never come near the limit.
fn int<N: TryInto<i64>>(n: N) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

fn json_list(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| serde_json::to_string(items).unwrap_or_default())
}

fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_database(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sidecar(path, suffix));
    }
}

fn sql_message(error: &rusqlite::Error) -> String {
    error.to_string()
}

fn sql_error(error: &rusqlite::Error) -> PluginError {
    PluginError::new(format!("SQLite: {}", sql_message(error)))
}

plugin_api::export_exporter!(Sqlite);

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    fn fixture() -> String {
        ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/exporters/annotated.jsonl"
        )))
    }

    fn exporter(dir: &Path, options: &str) -> Sqlite {
        let context = ExportContext {
            out_dir: dir.to_path_buf(),
        };
        ok(Sqlite::open(context, ok(serde_json::from_str(options))))
    }

    /// Exports the annotated fixture (the full model) into `dir`.
    fn export_annotated(dir: &Path) {
        let mut sqlite = exporter(dir, "{}");
        for line in fixture().lines() {
            ok(sqlite.write(&Record::new(line.as_bytes())));
        }
        ok(sqlite.finish());
    }

    fn database(dir: &Path) -> Connection {
        ok(Connection::open(dir.join("articles.sqlite")))
    }

    fn count(connection: &Connection, sql: &str) -> i64 {
        ok(connection.query_row(sql, [], |row| row.get(0)))
    }

    /// FTS5's own check that the full-text index holds exactly the terms of the text it reads
    /// (`article_texts`): an entry left over from a replaced text, or missing, is an error.
    fn check_full_text(connection: &Connection) -> rusqlite::Result<()> {
        connection.execute_batch(
            "INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 1)",
        )
    }

    /// The ids of the articles whose text matches `words`, in order.
    fn matching(connection: &Connection, words: &str) -> Vec<String> {
        rows(
            connection,
            "SELECT a.id FROM articles_fts JOIN articles AS a ON a.article_key = articles_fts.rowid
             WHERE articles_fts MATCH :words ORDER BY a.id",
            &[(":words", words)],
        )
    }

    /// The numbered SQL blocks of docs/sqlite.md.
    fn documented_queries() -> Vec<String> {
        let doc = ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/sqlite.md"
        )));
        let mut queries = Vec::new();
        let mut numbered = false;
        let mut block: Option<String> = None;
        for line in doc.lines() {
            if let Some(title) = line.strip_prefix("### ") {
                numbered = title.starts_with(|character: char| character.is_ascii_digit());
            } else if line.trim() == "```sql" && numbered {
                block = Some(String::new());
            } else if line.trim() == "```" {
                queries.extend(block.take());
            } else if let Some(sql) = block.as_mut() {
                sql.push_str(line);
                sql.push('\n');
            }
        }
        queries
    }

    /// Rows of a query as text, columns joined by " | ".
    fn rows(connection: &Connection, sql: &str, parameters: &[(&str, &str)]) -> Vec<String> {
        let mut statement = ok(connection.prepare(sql));
        let n_columns = statement.column_count();
        let named: Vec<(&str, &dyn rusqlite::ToSql)> = parameters
            .iter()
            .map(|(name, value)| (*name, value as &dyn rusqlite::ToSql))
            .collect();
        let mapped = ok(statement.query_map(named.as_slice(), |row| {
            let mut fields = Vec::new();
            for column in 0..n_columns {
                let value: rusqlite::types::Value = row.get(column)?;
                fields.push(match value {
                    rusqlite::types::Value::Null => "NULL".to_string(),
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Real(x) => x.to_string(),
                    rusqlite::types::Value::Text(text) => text,
                    rusqlite::types::Value::Blob(_) => "<blob>".to_string(),
                });
            }
            Ok(fields.join(" | "))
        }));
        mapped.map(ok).collect()
    }

    #[test]
    fn the_documented_queries_answer_on_the_annotated_articles() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let connection = database(dir.path());
        let queries = documented_queries();
        assert_eq!(queries.len(), 5);

        let quoted_most = rows(&connection, &queries[0], &[]);
        assert_eq!(
            quoted_most,
            [
                "Antony Blinken | 5 | 1",
                "Vladimir Putin | 2 | 1",
                "Ana Ruiz | 1 | 1",
                "Sergei Lavrov | 1 | 1"
            ]
        );
        let blinken = rows(&connection, &queries[1], &[(":person", "Antony Blinken")]);
        assert_eq!(blinken.len(), 5);
        assert!(
            blinken[0].ends_with("direct | stated | is not serious"),
            "{blinken:?}"
        );
        let both = rows(
            &connection,
            &queries[2],
            &[
                (":first", "Vladimir Putin"),
                (":second", "Antonio Guterres"),
            ],
        );
        assert_eq!(both.len(), 1);
        assert!(
            both[0].starts_with("1f805389323d0102 | 2022-04-26"),
            "{both:?}"
        );
        let found = rows(&connection, &queries[3], &[(":words", "Guterres")]);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("[Guterres]"), "{found:?}");
        let both_words = rows(&connection, &queries[3], &[(":words", "ferry AND mayor")]);
        assert_eq!(both_words.len(), 1, "{both_words:?}");
        let weeks = rows(&connection, &queries[4], &[]);
        assert_eq!(weeks, ["2022-W17 | world | 1", "2022-W18 | world | 1"]);
    }

    #[test]
    fn tables_hold_the_full_model() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "SELECT count(*) FROM articles"), 3);
        assert_eq!(count(&connection, "SELECT count(*) FROM quotes"), 10);
        assert_eq!(count(&connection, "SELECT count(*) FROM entities"), 17);
        assert_eq!(count(&connection, "SELECT count(*) FROM dates"), 4);
        assert_eq!(
            count(
                &connection,
                "SELECT count(*) FROM labels WHERE classifier = 'topic'"
            ),
            6
        );
        // Offsets are code points, as SQLite's substr counts them.
        let quoted: String = ok(connection.query_row(
            "SELECT substr(p.text, q.start + 1, q.\"end\" - q.start) FROM quotes q
             JOIN paragraphs p USING (article_key, paragraph)
             JOIN articles a USING (article_key)
             WHERE a.id = '1f805389323d0102' AND q.quote_idx = 2",
            [],
            |row| row.get(0),
        ));
        assert_eq!(quoted, "is not serious");
        let tone: f64 = ok(connection.query_row(
            "SELECT tone FROM articles WHERE id = '1f805389323d0102'",
            [],
            |row| row.get(0),
        ));
        assert!((tone + 0.31).abs() < 1e-9);
        assert_eq!(
            count(&connection, "SELECT count(*) FROM pragma_foreign_key_check"),
            0
        );
    }

    #[test]
    fn a_second_run_upserts_and_a_failed_one_changes_nothing() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        export_annotated(dir.path());
        {
            let connection = database(dir.path());
            assert_eq!(count(&connection, "SELECT count(*) FROM articles"), 3);
            assert_eq!(count(&connection, "SELECT count(*) FROM articles_fts"), 3);
            assert_eq!(count(&connection, "SELECT count(*) FROM quotes"), 10);
            let replaced: String = ok(connection.query_row(
                "SELECT group_concat(n_replaced, ',') FROM (SELECT n_replaced FROM runs ORDER BY run_id)",
                [],
                |row| row.get(0),
            ));
            assert_eq!(replaced, "0,3", "the second run replaced every article");
        }
        // An article seen again keeps its key, and its parts and full-text entry follow it.
        let keys = |connection: &Connection| -> Vec<String> {
            rows(
                connection,
                "SELECT a.id, a.article_key, f.rowid, (SELECT count(*) FROM paragraphs p
                     WHERE p.article_key = a.article_key)
                 FROM articles a JOIN articles_fts f ON f.rowid = a.article_key ORDER BY a.id",
                &[],
            )
        };
        let before = keys(&database(dir.path()));
        assert_eq!(before.len(), 3, "{before:?}");
        export_annotated(dir.path());
        assert_eq!(keys(&database(dir.path())), before);
        ok(check_full_text(&database(dir.path())));
        // A run that never finishes: its rows never reach the final file.
        let mut unfinished = exporter(dir.path(), "{}");
        let extra = r#"{"id":"new","headline":"Never committed","paragraphs":["Lost."]}"#;
        ok(unfinished.write(&Record::new(extra.as_bytes())));
        drop(unfinished);
        let connection = database(dir.path());
        assert_eq!(count(&connection, "SELECT count(*) FROM articles"), 3);
        assert_eq!(count(&connection, "SELECT count(*) FROM runs"), 3);
        let leftovers: Vec<String> = ok(std::fs::read_dir(dir.path()))
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name != "articles.sqlite")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn articles_seen_again_leave_only_their_last_text_in_the_full_text_index() {
        // One run of articles (id, a word of their text), then the database it leaves.
        let export = |dir: &Path, options: &str, articles: [(&str, &str); 3]| {
            let mut sqlite = exporter(dir, options);
            for (id, word) in articles {
                let record = format!(
                    r#"{{"id":"{id}","headline":"On {word}","paragraphs":["{word} seen.","Again."]}}"#
                );
                ok(sqlite.write(&Record::new(record.as_bytes())));
            }
            ok(sqlite.finish());
            let connection = database(dir);
            ok(check_full_text(&connection));
            connection
        };
        // Replaced within a transaction, across transactions, and in a later run.
        for transaction_size in [1, 2, 5000] {
            let dir = ok(tempfile::tempdir());
            let options = format!(r#"{{"transaction_size": {transaction_size}}}"#);
            let first = [("a1", "zebra"), ("a2", "giraffe"), ("a1", "okapi")];
            let connection = export(dir.path(), &options, first);
            assert!(
                matching(&connection, "zebra").is_empty(),
                "{transaction_size}"
            );
            assert_eq!(matching(&connection, "okapi"), ["a1"]);
            assert_eq!(matching(&connection, "giraffe AND again"), ["a2"]);
            drop(connection);

            let second = [("a1", "walrus"), ("a1", "narwhal"), ("a3", "walrus")];
            let connection = export(dir.path(), &options, second);
            assert!(
                matching(&connection, "okapi").is_empty(),
                "{transaction_size}"
            );
            assert_eq!(
                matching(&connection, "walrus"),
                ["a3"],
                "{transaction_size}"
            );
            assert_eq!(matching(&connection, "narwhal"), ["a1"]);
            assert_eq!(matching(&connection, "giraffe"), ["a2"]);
            assert_eq!(count(&connection, "SELECT count(*) FROM articles"), 3);

            // The check finds an index that no longer matches the text.
            ok(connection.execute(
                "UPDATE paragraphs SET text = 'tapir' WHERE paragraph = 0 AND article_key =
                     (SELECT article_key FROM articles WHERE id = 'a2')",
                [],
            ));
            assert!(check_full_text(&connection).is_err());
        }
    }

    #[test]
    fn the_full_text_index_keeps_no_copy_of_the_text() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let connection = database(dir.path());
        let fts_tables = rows(
            &connection,
            "SELECT name FROM sqlite_schema WHERE name GLOB 'articles_fts_*' ORDER BY name",
            &[],
        );
        assert!(
            !fts_tables.iter().any(|name| name == "articles_fts_content"),
            "{fts_tables:?}"
        );
        // What the index reads is each article's paragraphs, in order, between blank lines.
        let body: String = ok(connection.query_row(
            "SELECT body FROM articles_fts WHERE rowid =
                 (SELECT article_key FROM articles WHERE id = '1f805389323d0102')",
            [],
            |row| row.get(0),
        ));
        let article: plugin_api::article::Article = ok(serde_json::from_str(
            fixture()
                .lines()
                .find(|line| line.contains("\"1f805389323d0102\""))
                .unwrap_or_default(),
        ));
        assert!(article.paragraphs.len() > 2);
        assert_eq!(body, article.paragraphs.join("\n\n"));
        ok(check_full_text(&connection));
    }

    #[test]
    fn replace_mode_starts_empty() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let mut fresh = exporter(dir.path(), r#"{"mode": "replace"}"#);
        let only = r#"{"id":"only","headline":"Alone","paragraphs":["Just one."]}"#;
        ok(fresh.write(&Record::new(only.as_bytes())));
        ok(fresh.finish());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "SELECT count(*) FROM articles"), 1);
        assert_eq!(count(&connection, "SELECT count(*) FROM runs"), 1);
    }

    #[test]
    fn a_database_of_another_schema_is_refused_unless_replaced() {
        let dir = ok(tempfile::tempdir());
        let path = dir.path().join("articles.sqlite");
        {
            // No copydesk schema: no `user_version`, and none of version 1's tables of parts.
            let old = ok(Connection::open(&path));
            ok(old.execute_batch(
                "CREATE TABLE articles (id TEXT PRIMARY KEY, headline TEXT NOT NULL);
                 INSERT INTO articles VALUES ('a1', 'Kept');",
            ));
        }
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let options: Options = ok(serde_json::from_str("{}"));
        let Err(error) = Sqlite::open(context, options) else {
            panic!("a database of no copydesk schema was taken for the second");
        };
        let message = error.to_string();
        assert!(
            message.contains("articles.sqlite") && message.contains("mode = \"replace\""),
            "{message}"
        );
        let leftovers = ok(std::fs::read_dir(dir.path())).count();
        assert_eq!(leftovers, 1, "only the untouched database is left");
        assert_eq!(
            count(&database(dir.path()), "SELECT count(*) FROM articles"),
            1
        );

        let mut fresh = exporter(dir.path(), r#"{"mode": "replace"}"#);
        ok(fresh.finish());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "PRAGMA user_version"), SCHEMA_VERSION);
        assert_eq!(count(&connection, "PRAGMA page_size"), PAGE_SIZE);
    }

    /// Version 1's tables, from the version 2 database at `from`, written to a new database at
    /// `to` as version 1 of the exporter wrote them: the parts keyed by the article's text id,
    /// the article's rowid its full-text rowid, no `user_version`.
    fn write_version_1(from: &Path, to: &Path) {
        let connection = ok(Connection::open(to));
        ok(connection.execute_batch(include_str!("schema-v1.sql")));
        ok(connection.execute(
            "ATTACH DATABASE ?1 AS v2",
            [from.to_string_lossy().as_ref()],
        ));
        ok(connection.execute_batch(
            r#"
            INSERT INTO runs SELECT * FROM v2.runs;
            INSERT INTO articles (rowid, id, headline, published, source_path, source_line,
                                  source_url, publisher, byline, dateline, dateline_place,
                                  language, topic, tone, n_paragraphs, n_words, credits,
                                  repairs, boilerplate, run_id)
                SELECT article_key, id, headline, published, source_path, source_line,
                       source_url, publisher, byline, dateline, dateline_place, language,
                       topic, tone, n_paragraphs, n_words, credits, repairs, boilerplate,
                       run_id
                FROM v2.articles;
            INSERT INTO paragraphs SELECT a.id, p.paragraph, p.text
                FROM v2.paragraphs AS p JOIN v2.articles AS a USING (article_key);
            INSERT INTO entities SELECT a.id, e.entity_id, e.kind, e.name, e.aliases, e.titles,
                                        e.n_mentions
                FROM v2.entities AS e JOIN v2.articles AS a USING (article_key);
            INSERT INTO mentions SELECT a.id, m.entity_id, m.mention_idx, m.text, m.paragraph,
                                        m.start, m."end"
                FROM v2.mentions AS m JOIN v2.articles AS a USING (article_key);
            INSERT INTO quotes SELECT a.id, q.quote_idx, q.kind, q.text, q.cue,
                                      q.speaker_entity, q.speaker, q.addressee_entity,
                                      q.addressee, q.paragraph, q.start, q."end", q.spans,
                                      q.confidence, q.rule
                FROM v2.quotes AS q JOIN v2.articles AS a USING (article_key);
            INSERT INTO dates SELECT a.id, d.date_idx, d.text, d.value, d.resolution,
                                     d.paragraph, d.start, d."end"
                FROM v2.dates AS d JOIN v2.articles AS a USING (article_key);
            INSERT INTO labels SELECT a.id, l.classifier, l.rank, l.value, l.score, l.extra
                FROM v2.labels AS l JOIN v2.articles AS a USING (article_key);
            INSERT INTO articles_fts (rowid, headline, body)
                SELECT rowid, headline, body FROM v2.articles_fts;
            DETACH DATABASE v2;
            "#,
        ));
    }

    /// Every row of every table of an article's parts, with the article's id for its key.
    fn contents(connection: &Connection) -> Vec<String> {
        let mut all = Vec::new();
        for (table, order) in [
            ("articles", "t.id"),
            ("paragraphs", "a.id, t.paragraph"),
            ("entities", "a.id, t.entity_id"),
            ("mentions", "a.id, t.entity_id, t.mention_idx"),
            ("quotes", "a.id, t.quote_idx"),
            ("dates", "a.id, t.date_idx"),
            ("labels", "a.id, t.classifier, t.rank"),
        ] {
            let sql = format!(
                "SELECT '{table}', a.id, t.* FROM {table} AS t
                 JOIN articles AS a USING (article_key) ORDER BY {order}"
            );
            all.extend(rows(connection, &sql, &[]));
        }
        all
    }

    #[test]
    fn a_database_of_schema_version_1_is_upgraded_with_its_rows_and_full_text() {
        let exported = ok(tempfile::tempdir());
        export_annotated(exported.path());
        let expected = contents(&database(exported.path()));
        assert!(expected.len() > 50, "{}", expected.len());

        let dir = ok(tempfile::tempdir());
        let path = dir.path().join("articles.sqlite");
        write_version_1(&exported.path().join("articles.sqlite"), &path);
        {
            let old = ok(Connection::open(&path));
            assert_eq!(count(&old, "PRAGMA user_version"), 0);
            assert!(ok(is_schema_1(&old)));
        }
        // An upgrade with no article, then the same articles again, as updates.
        ok(exporter(dir.path(), "{}").finish());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "PRAGMA user_version"), SCHEMA_VERSION);
        assert_eq!(contents(&connection), expected);
        ok(check_full_text(&connection));
        assert_eq!(
            matching(&connection, "Guterres"),
            matching(&database(exported.path()), "Guterres")
        );
        let indexes = count(
            &connection,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
        );
        assert_eq!(indexes, schema_indexes().count() as i64);
        assert_eq!(
            count(
                &connection,
                "SELECT count(*) FROM sqlite_schema WHERE name GLOB 'v1_*'"
            ),
            0
        );
        drop(connection);
        export_annotated(dir.path());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "SELECT count(*) FROM runs"), 3);
        ok(check_full_text(&connection));
        assert_eq!(
            count(
                &connection,
                "SELECT count(*) FROM articles WHERE run_id = 3"
            ),
            3
        );
        assert_eq!(
            count(&connection, "SELECT count(*) FROM pragma_foreign_key_check"),
            0
        );
        // The same rows, now the third run's.
        ok(connection.execute("UPDATE articles SET run_id = 1", []));
        assert_eq!(contents(&connection), expected);
    }

    #[test]
    fn a_database_of_schema_version_2_gets_a_full_text_index_that_reads_the_tables() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let connection = database(dir.path());
        let expected = contents(&connection);
        let guterres = matching(&connection, "Guterres");
        assert_eq!(guterres.len(), 1);
        // Back to version 2: a full-text index with its own copy of the text, the view's.
        ok(connection.execute_batch(
            "DROP TABLE articles_fts;
             CREATE VIRTUAL TABLE articles_fts USING fts5 (
                 headline, body, tokenize = 'unicode61 remove_diacritics 2');
             INSERT INTO articles_fts (rowid, headline, body)
                 SELECT article_key, headline, body FROM article_texts;
             DROP VIEW article_texts;
             PRAGMA user_version = 2;",
        ));
        assert_eq!(
            count(
                &connection,
                "SELECT count(*) FROM sqlite_schema WHERE name = 'articles_fts_content'"
            ),
            1
        );
        drop(connection);

        ok(exporter(dir.path(), "{}").finish());
        let connection = database(dir.path());
        assert_eq!(count(&connection, "PRAGMA user_version"), SCHEMA_VERSION);
        assert_eq!(
            count(
                &connection,
                "SELECT count(*) FROM sqlite_schema WHERE name = 'articles_fts_content'"
            ),
            0
        );
        assert_eq!(contents(&connection), expected);
        assert_eq!(matching(&connection, "Guterres"), guterres);
        ok(check_full_text(&connection));
        drop(connection);
        // And it takes the same articles again, as updates.
        export_annotated(dir.path());
        let connection = database(dir.path());
        ok(check_full_text(&connection));
        assert_eq!(matching(&connection, "Guterres"), guterres);
        assert_eq!(
            count(
                &connection,
                "SELECT n_replaced FROM runs ORDER BY run_id DESC LIMIT 1"
            ),
            3
        );
    }

    #[test]
    fn the_documented_schema_is_the_schema() {
        let doc = ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/sqlite.md"
        )));
        assert!(
            doc.contains(SCHEMA),
            "docs/sqlite.md must show src/schema.sql verbatim"
        );
    }

    #[test]
    fn the_indexes_deferred_on_a_first_run_are_built_at_finish() {
        let dir = ok(tempfile::tempdir());
        export_annotated(dir.path());
        let connection = database(dir.path());
        let names: Vec<&str> = schema_indexes().collect();
        assert_eq!(names.len(), 8, "{names:?}");
        for name in names {
            assert_eq!(
                count(
                    &connection,
                    &format!(
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = '{name}'"
                    )
                ),
                1,
                "{name}"
            );
        }
    }
}

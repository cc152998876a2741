import GRDB

/// The knowledge base's SQLite schema, as GRDB migrations. A shipped migration is never edited: changes go in
/// a new one. Migrations use plain SQL and no application types, so that old files always upgrade the same way.
///
/// Tables are meant to be read by people with `sqlite3` too: `documents`, `nodes` (one row per tree node, with
/// its id, kind, text, span and parent; paths are put together from the parents' rows, `SQLiteNodePaths`),
/// `records`, `kb_info`, `document_kinds` (the kinds of node each document holds) with `kind_documents` (how
/// many documents hold each kind), `document_issuers` (every issuer a document has), `term_top` (see
/// `TermTopList`), `abbreviations`; `node_fts` is the full-text index over `nodes` (it needs the `plankb_cjk`
/// tokenizer, so only plankb can query it).
/// BM25 weights (heading 8, lead 3, text 1) are stored as the table's rank function.
enum Schema {
    static func migrator(indexing: IdeographIndexing) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        let tokenizer = "plankb_cjk \(indexing.rawValue)"
        migrator.registerMigration("v1: documents, nodes, records, full-text index") { db in
            try db.execute(sql: """
                CREATE TABLE kb_info (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                INSERT INTO kb_info (key, value) VALUES ('tokenizer', '\(tokenizer)');

                CREATE TABLE documents (
                    id INTEGER PRIMARY KEY,
                    doc_key TEXT NOT NULL UNIQUE,
                    source TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    title TEXT,
                    date TEXT,
                    written_date TEXT,
                    issuer TEXT,
                    document_number TEXT,
                    subject TEXT,
                    node_count INTEGER NOT NULL,
                    diagnostic_count INTEGER NOT NULL,
                    metadata_json TEXT NOT NULL,
                    indexed_at TEXT NOT NULL
                );
                CREATE INDEX documents_by_source ON documents(source);

                -- row_id = doc_id * 2^20 + ordinal: a document's nodes are one rowid range, and the full-text
                -- index gives each hit's document without a join (row_id >> 20).
                CREATE TABLE nodes (
                    row_id INTEGER PRIMARY KEY,
                    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    node_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    num INTEGER,
                    label TEXT,
                    heading TEXT,
                    text TEXT NOT NULL,
                    lead TEXT,
                    path TEXT,
                    start_line INTEGER NOT NULL,
                    start_column INTEGER NOT NULL,
                    end_line INTEGER NOT NULL,
                    end_column INTEGER NOT NULL,
                    parent_id TEXT,
                    ordinal INTEGER NOT NULL,
                    searchable INTEGER NOT NULL
                );

                CREATE TABLE records (
                    id INTEGER PRIMARY KEY,
                    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    node_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    year INTEGER,
                    json TEXT NOT NULL
                );
                CREATE INDEX records_by_node ON records(doc_id, node_id);
                CREATE INDEX records_by_type ON records(type, year);

                -- Contentless: the text lives once, in nodes; the index keeps only tokens and positions.
                CREATE VIRTUAL TABLE node_fts USING fts5(
                    heading, lead, text,
                    content='',
                    tokenize='\(tokenizer)'
                );
                INSERT INTO node_fts (node_fts, rank) VALUES ('rank', 'bm25(8.0, 3.0, 1.0)');
                """)
        }
        migrator.registerMigration("v2: term top lists") { db in
            // term_top: per index token, its best rows by BM25 impact (8-byte packed entries, best first), how many
            // rows held it when they were added, and whether the list holds all of them (see `TermTopList`).
            // term_top_pending: documents written since the lists were last brought up to date; while any is
            // listed, searches rank with FTS5 alone.
            try db.execute(sql: """
                CREATE TABLE term_top (
                    id INTEGER PRIMARY KEY,
                    token TEXT NOT NULL UNIQUE,
                    rows INTEGER NOT NULL,
                    complete INTEGER NOT NULL,
                    entries BLOB NOT NULL
                );
                CREATE TABLE term_top_pending (doc_id INTEGER PRIMARY KEY);
                INSERT INTO term_top_pending (doc_id) SELECT id FROM documents;
                INSERT INTO node_fts (node_fts, rank) VALUES ('hashsize', 67108864);
                INSERT INTO node_fts (node_fts, rank) VALUES ('automerge', 16);
                """)
        }
        migrator.registerMigration("v3: indexes for the document filters") { db in
            // A search's document filters (--issuer, --published-after/before, --doc) read every document's
            // fields with LIKE; these covering indexes hold just those fields, a small fraction of the table.
            try db.execute(sql: """
                CREATE INDEX documents_by_issuer_date ON documents(issuer, date);
                CREATE INDEX documents_by_title_source ON documents(doc_key, title, source);
                """)
        }
        migrator.registerMigration("v4: the kinds of nodes each document holds") { db in
            // document_kinds: one row per kind of node a document holds, so that a --kind filter can pass over the
            // documents without such nodes before looking at any node. Filled in here for documents already indexed.
            try db.execute(sql: """
                CREATE TABLE document_kinds (
                    kind TEXT NOT NULL,
                    doc_id INTEGER NOT NULL,
                    PRIMARY KEY (kind, doc_id)
                ) WITHOUT ROWID;
                CREATE INDEX document_kinds_by_document ON document_kinds(doc_id);
                INSERT INTO document_kinds (kind, doc_id) SELECT DISTINCT kind, doc_id FROM nodes;
                """)
        }
        migrator.registerMigration("v5: rows of deleted documents, for the term top lists") { db in
            // term_top_uncounted: per token, the rows of documents deleted since the lists' last refresh, which
            // the refresh takes from term_top.rows.
            try db.execute(sql: """
                CREATE TABLE term_top_uncounted (
                    token TEXT PRIMARY KEY,
                    rows INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v6: abbreviations the documents define") { db in
            // abbreviations: per document, each short name it defines (以下简称“沈阳片区”), the full name as printed
            // and as looked up (its index tokens joined: folded, no punctuation or spacing), and the defining node.
            try db.execute(sql: """
                CREATE TABLE abbreviations (
                    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                    short TEXT NOT NULL,
                    full TEXT NOT NULL,
                    full_key TEXT NOT NULL,
                    node_id TEXT NOT NULL,
                    PRIMARY KEY (doc_id, short)
                ) WITHOUT ROWID;
                CREATE INDEX abbreviations_by_full_name ON abbreviations(full_key);
                """)
        }
        migrator.registerMigration("v7: pages of nodes") { db in
            // start_page, end_page: where a node's text begins and ends in a source with pages (PDF, OFD), so that
            // a hit can cite "p. 12"; NULL for sources without pages, and for files indexed before this
            // migration until they are indexed again.
            try db.execute(sql: """
                ALTER TABLE nodes ADD COLUMN start_page INTEGER;
                ALTER TABLE nodes ADD COLUMN end_page INTEGER;
                """)
        }
        migrator.registerMigration("v8: leads and clauses as slices of their paragraph") { db in
            // text_start, text_end: for a lead sentence or a clause, where its text sits in its parent's (UTF-8
            // byte offsets); its own text column is then empty, so the text is stored once. NULL for other
            // nodes, and for rows written before this migration, which keep their text.
            try db.execute(sql: """
                ALTER TABLE nodes ADD COLUMN text_start INTEGER;
                ALTER TABLE nodes ADD COLUMN text_end INTEGER;
                """)
        }
        migrator.registerMigration("v9: records' text as a slice of their node's") { db in
            // text_ordinal, text_start, text_end: which node row's stored text (its ordinal in the document) holds
            // the record's text, and where (UTF-8 byte offsets); the JSON is then written without its "text"
            // member (see RecordRow). NULL for records whose text is kept in their JSON, and for rows written
            // before this migration.
            try db.execute(sql: """
                ALTER TABLE records ADD COLUMN text_ordinal INTEGER;
                ALTER TABLE records ADD COLUMN text_start INTEGER;
                ALTER TABLE records ADD COLUMN text_end INTEGER;
                """)
        }
        migrator.registerMigration("v10: paths from the parents' rows") { db in
            // parent_ordinal: the ordinal of the node's parent in its document (NULL under the document itself),
            // so that a path (第五章 … › 第四节 … › 段2) is put together from the ancestors' titles when read instead
            // of being stored with every searchable node: the paths were 6% of a knowledge base.
            // chapter_ordinal: the ordinal of the outermost heading of the path, what --count-by chapter groups
            // by — the outermost ancestor, or the node itself for a heading under the document; NULL for a
            // paragraph (clause, lead, closing, figure) under the document.
            // Rows already stored get their parents through their parent_id, by a temporary index, and their
            // chapters by following the parents up.
            try db.execute(sql: """
                ALTER TABLE nodes ADD COLUMN parent_ordinal INTEGER;
                ALTER TABLE nodes ADD COLUMN chapter_ordinal INTEGER;
                CREATE INDEX nodes_v10_by_node_id ON nodes(doc_id, node_id, ordinal);
                UPDATE nodes SET parent_ordinal = (
                    SELECT max(p.ordinal) FROM nodes p
                    WHERE p.doc_id = nodes.doc_id AND p.node_id = nodes.parent_id AND p.ordinal < nodes.ordinal)
                WHERE parent_id IS NOT NULL;
                DROP INDEX nodes_v10_by_node_id;
                UPDATE nodes SET chapter_ordinal = tops.top FROM (
                    WITH RECURSIVE up(row_id, doc_id, at) AS (
                        SELECT row_id, doc_id, parent_ordinal FROM nodes WHERE parent_ordinal IS NOT NULL
                        UNION ALL
                        SELECT up.row_id, up.doc_id, p.parent_ordinal FROM up JOIN nodes p ON p.row_id = (up.doc_id << 20) | up.at
                        WHERE p.parent_ordinal IS NOT NULL)
                    SELECT up.row_id AS row_id, up.at AS top FROM up JOIN nodes p ON p.row_id = (up.doc_id << 20) | up.at
                    WHERE p.parent_ordinal IS NULL) AS tops
                WHERE nodes.row_id = tops.row_id;
                UPDATE nodes SET chapter_ordinal = ordinal
                WHERE parent_ordinal IS NULL AND kind NOT IN ('paragraph', 'clause', 'lead', 'closing', 'figure');
                ALTER TABLE nodes DROP COLUMN path;
                """)
        }
        migrator.registerMigration("v11: documents per node kind") { db in
            // kind_documents: how many documents hold nodes of each kind, and under '' how many documents there
            // are, kept by triggers, so that a --kind filter whose kind every document holds (paragraph, clause)
            // does not collect the documents holding it: a scan of document_kinds that cost a query 4 M
            // instructions, to allow every document.
            try db.execute(sql: """
                CREATE TABLE kind_documents (kind TEXT PRIMARY KEY, documents INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO kind_documents SELECT kind, count(*) FROM document_kinds GROUP BY kind;
                INSERT INTO kind_documents SELECT '', count(*) FROM documents;
                CREATE TRIGGER document_kinds_counted AFTER INSERT ON document_kinds BEGIN
                    INSERT INTO kind_documents VALUES (NEW.kind, 1) ON CONFLICT (kind) DO UPDATE SET documents = documents + 1;
                END;
                CREATE TRIGGER document_kinds_uncounted AFTER DELETE ON document_kinds BEGIN
                    UPDATE kind_documents SET documents = documents - 1 WHERE kind = OLD.kind;
                END;
                CREATE TRIGGER documents_counted AFTER INSERT ON documents BEGIN
                    INSERT INTO kind_documents VALUES ('', 1) ON CONFLICT (kind) DO UPDATE SET documents = documents + 1;
                END;
                CREATE TRIGGER documents_uncounted AFTER DELETE ON documents BEGIN
                    UPDATE kind_documents SET documents = documents - 1 WHERE kind = '';
                END;
                """)
        }
        migrator.registerMigration("v12: the issuers of the documents") { db in
            // document_issuers: every issuer a document has or had, kept by triggers, so that --issuer matches its
            // text against the few distinct issuers and finds their documents by documents_by_issuer_date: LIKE
            // over every document's issuer cost a query 7 M instructions for 9 issuers. An issuer whose documents
            // are gone stays; it matches no document.
            try db.execute(sql: """
                CREATE TABLE document_issuers (issuer TEXT PRIMARY KEY) WITHOUT ROWID;
                INSERT OR IGNORE INTO document_issuers SELECT DISTINCT issuer FROM documents WHERE issuer IS NOT NULL;
                CREATE TRIGGER documents_issuer_kept AFTER INSERT ON documents WHEN NEW.issuer IS NOT NULL BEGIN
                    INSERT OR IGNORE INTO document_issuers VALUES (NEW.issuer);
                END;
                CREATE TRIGGER documents_issuer_changed AFTER UPDATE OF issuer ON documents WHEN NEW.issuer IS NOT NULL BEGIN
                    INSERT OR IGNORE INTO document_issuers VALUES (NEW.issuer);
                END;
                """)
        }
        migrator.registerMigration("v13: the documents of each record type and year") { db in
            // records_by_type holds each record's document too, so that a record filter (--type, --year) collects
            // the documents holding such records from the index alone and a search passes over the rest of the
            // rows without checking their nodes' records.
            try db.execute(sql: """
                DROP INDEX records_by_type;
                CREATE INDEX records_by_type ON records(type, year, doc_id);
                """)
        }
        return migrator
    }
}

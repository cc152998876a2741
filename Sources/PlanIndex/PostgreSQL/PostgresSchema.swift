import Foundation

/// The PostgreSQL knowledge base's schema as numbered migrations. A shipped migration is never edited: changes
/// go in a new one. `migrate` applies the missing ones in one transaction under an advisory lock, so that two
/// `plankb index` processes starting at once neither race nor apply one twice.
///
/// Tables read as in SQLite (`documents`, `nodes`, `records`, `kb_info`), with `psql`: nodes carry their
/// search vector (`search`, see `SearchVector`) under a GIN index, the length BM25 needs (`token_count`) and
/// whether the vector had to go without positions (`long`); `kb_counts` holds what BM25 needs of the whole
/// table (searchable rows, their tokens) and a version that every write raises. Text columns that are sorted
/// or compared by range use the "C" collation: byte order, as SQLite compares.
enum PostgresSchema {
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (1, "documents, nodes with search vectors, records", """
            CREATE TABLE kb_info (
                key text PRIMARY KEY,
                value text NOT NULL
            );
            INSERT INTO kb_info (key, value) VALUES ('tokenizer', 'plankb_cjk bigram');

            CREATE TABLE kb_counts (
                id integer PRIMARY KEY CHECK (id = 1),
                searchable_rows bigint NOT NULL,
                tokens bigint NOT NULL,
                version bigint NOT NULL
            );
            INSERT INTO kb_counts VALUES (1, 0, 0, 0);

            CREATE TABLE documents (
                id bigserial PRIMARY KEY,
                doc_key text COLLATE "C" NOT NULL UNIQUE,
                source text COLLATE "C" NOT NULL,
                content_hash text NOT NULL,
                title text COLLATE "C",
                date text COLLATE "C",
                written_date text,
                issuer text COLLATE "C",
                document_number text,
                subject text,
                node_count integer NOT NULL,
                diagnostic_count integer NOT NULL,
                metadata_json text NOT NULL,
                indexed_at text NOT NULL
            );
            CREATE INDEX documents_by_source ON documents (source);

            CREATE TABLE nodes (
                doc_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                ordinal integer NOT NULL,
                node_id text COLLATE "C" NOT NULL,
                kind text NOT NULL,
                num integer,
                label text,
                heading text,
                text text NOT NULL,
                lead text,
                path text COLLATE "C",
                start_line integer NOT NULL,
                start_column integer NOT NULL,
                end_line integer NOT NULL,
                end_column integer NOT NULL,
                parent_id text,
                searchable smallint NOT NULL,
                token_count integer NOT NULL,
                long boolean NOT NULL,
                search tsvector,
                PRIMARY KEY (doc_id, ordinal)
            );
            CREATE INDEX nodes_search ON nodes USING gin (search);
            CREATE INDEX nodes_search_long ON nodes USING gin (search) WHERE long;

            CREATE TABLE records (
                id bigserial PRIMARY KEY,
                doc_id bigint NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
                node_id text COLLATE "C" NOT NULL,
                type text NOT NULL,
                year integer,
                json text NOT NULL
            );
            CREATE INDEX records_by_node ON records (doc_id, node_id);
            CREATE INDEX records_by_type ON records (type, year);
            """),
        // Where a node's text begins and ends in a source with pages (PDF, OFD); NULL without pages, and for
        // documents indexed before this migration until they are indexed again.
        (2, "pages of nodes", """
            ALTER TABLE nodes ADD COLUMN start_page integer;
            ALTER TABLE nodes ADD COLUMN end_page integer;
            """),
        // For a lead sentence or a clause, where its text sits in its parent's (UTF-8 byte offsets); its own
        // text is then empty, so the text is stored once. NULL for other nodes and for rows written before.
        (3, "leads and clauses as slices of their paragraph", """
            ALTER TABLE nodes ADD COLUMN text_start integer;
            ALTER TABLE nodes ADD COLUMN text_end integer;
            """),
        // Which node row's stored text (its ordinal) holds a record's text, and where (UTF-8 byte offsets); the
        // JSON is then written without its "text" member (see RecordRow). NULL for records that keep their text.
        (4, "records' text as a slice of their node's", """
            ALTER TABLE records ADD COLUMN text_ordinal integer;
            ALTER TABLE records ADD COLUMN text_start integer;
            ALTER TABLE records ADD COLUMN text_end integer;
            """),
        // Term top lists, as in SQLite (see PostgresTermTop): entries packed 8 bytes each. Documents stored before
        // this migration are pending, so that the next refresh builds the lists from them.
        (5, "term top lists", """
            CREATE TABLE term_top (
                token text COLLATE "C" PRIMARY KEY,
                rows bigint NOT NULL,
                complete boolean NOT NULL,
                entries bytea NOT NULL
            );
            CREATE TABLE term_top_pending (
                doc_id bigint PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE
            );
            INSERT INTO term_top_pending (doc_id) SELECT id FROM documents;
            CREATE TABLE term_top_uncounted (
                token text COLLATE "C" PRIMARY KEY,
                rows bigint NOT NULL
            );
            """),
        // Long values (node text, vectors, records' JSON) compressed with lz4 where the server has it (Debian's
        // does): a third less server time spent compressing while indexing than the default pglz, and faster to
        // read back. Values written before keep their pglz until rewritten; a server without lz4 keeps pglz.
        (6, "lz4 for long values", """
            DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN \
            ALTER TABLE nodes ALTER COLUMN text SET COMPRESSION lz4, ALTER COLUMN search SET COMPRESSION lz4; \
            ALTER TABLE records ALTER COLUMN json SET COMPRESSION lz4; \
            ALTER TABLE documents ALTER COLUMN metadata_json SET COMPRESSION lz4; \
            END IF; END $$
            """),
        // Nodes and records without foreign keys to their document: the check ran a query on `documents` for
        // every row inserted (14% of a writer's server time, perf, 1 GB scale corpus), although a document's rows
        // are only ever written in the transaction that writes the document, and deleted with it explicitly
        // (`deleteDocuments`).
        (7, "nodes and records deleted with their document by the writer, not by foreign keys", """
            ALTER TABLE nodes DROP CONSTRAINT IF EXISTS nodes_doc_id_fkey;
            ALTER TABLE records DROP CONSTRAINT IF EXISTS records_doc_id_fkey
            """),
        // Postings with frequencies and row lengths apart from the rows (see `Postings`): one segment per write
        // transaction. Their bytes are varints, which do not compress: stored out of line without trying.
        // Documents stored before are listed as missing their postings until they are written again.
        (8, "postings", """
            CREATE TABLE postings (
                token text COLLATE "C" NOT NULL,
                segment bigint NOT NULL,
                entries bytea NOT NULL,
                PRIMARY KEY (token, segment)
            );
            ALTER TABLE postings ALTER COLUMN entries SET STORAGE EXTERNAL;
            CREATE SEQUENCE postings_segments;
            CREATE TABLE postings_dead (
                doc_id bigint PRIMARY KEY
            );
            CREATE TABLE postings_missing (
                doc_id bigint PRIMARY KEY
            );
            INSERT INTO postings_missing (doc_id) SELECT id FROM documents
            """),
    ]

    /// Any number that no other application's advisory locks use (ASCII "plankbmg").
    static let migrationLock = 0x706C_616E_6B62_6D67

    /// Applies the missing migrations; with `creating` false, a database without PlanKB's tables is an error.
    static func migrate(_ session: PostgresSession, creating: Bool) throws {
        try session.transaction {
            try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
            let exists = try session.query("SELECT to_regclass('plankb_migrations') IS NOT NULL").first?.boolean(0) ?? false
            if !exists {
                guard creating else {
                    throw KnowledgeBaseOpenError("no knowledge base in \(session.location.naming); create one with: plankb index PATH --db \(session.location)")
                }
                try session.query("""
                    CREATE TABLE plankb_migrations (
                        version integer PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """)
            }
            let applied = Set(try session.query("SELECT version FROM plankb_migrations").compactMap { try $0.integer(0) })
            for migration in migrations where !applied.contains(migration.version) {
                // One statement at a time: the extended protocol takes no scripts.
                for statement in migration.sql.components(separatedBy: ";\n")
                where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    try session.query(statement)
                }
                try session.query("INSERT INTO plankb_migrations (version, name) VALUES ($1, $2)",
                                  [.integer(migration.version), .text(migration.name)])
            }
        }
    }
}

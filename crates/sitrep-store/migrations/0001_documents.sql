-- sitrep store, schema version 1: documents and what was read from them.
-- Every table of a document's records cascades from `documents`, so that
-- replacing a document is one DELETE and a set of INSERTs in one transaction.

CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Outlets ("sources" in ACLED's sense).
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,            -- document.id: JSONL id, WARC record id or input path
    content_hash TEXT NOT NULL,          -- of the body, the container metadata and --published
    file TEXT NOT NULL,                  -- the input it was read from
    line INTEGER,                        -- JSONL line or WARC record number
    kind TEXT NOT NULL CHECK (kind IN ('text', 'html')),
    raw TEXT NOT NULL,                   -- the body as read (decoded to UTF-8), for recode
    text TEXT,                           -- the analysed text, when it is not a prefix of raw
    text_len INTEGER NOT NULL,           -- bytes of the analysed text
    container TEXT NOT NULL,             -- JSON: what the container gave (published, url, outlet, title, diagnostics)
    title TEXT,
    published TEXT,
    source_id INTEGER REFERENCES sources(id),
    url TEXT,
    language TEXT,
    author TEXT,
    diagnostics TEXT NOT NULL,           -- JSON array of the record's diagnostics
    engine TEXT NOT NULL,                -- the sitrep version that analysed it
    ingested_at TEXT NOT NULL
) STRICT;
CREATE INDEX documents_content_hash ON documents(content_hash);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,                -- position in the document's record
    uid TEXT NOT NULL UNIQUE,            -- stable: document key and event id; the report key of fusion
    event_id TEXT NOT NULL,              -- the event's id in the document's record
    sub_event_type TEXT NOT NULL,
    event_date TEXT,
    time_precision INTEGER NOT NULL,
    iso TEXT,
    country TEXT,
    admin1 TEXT,
    location TEXT,
    latitude REAL,
    longitude REAL,
    geo_precision INTEGER,
    actor1 TEXT,
    actor2 TEXT,
    fatalities INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    fingerprint TEXT NOT NULL,           -- hash of json: tells changed events from unchanged
    features BLOB NOT NULL,              -- sitrep_fuse::Features::encode
    json TEXT NOT NULL,                  -- the event, as the contract writes it
    cluster_id INTEGER                   -- the fused event it belongs to (schema 2)
) STRICT;
CREATE INDEX events_document ON events(document_id);
CREATE INDEX events_cluster ON events(cluster_id);

CREATE TABLE places (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte INTEGER NOT NULL,
    name TEXT,
    geonameid INTEGER,
    iso TEXT,
    admin1 TEXT,
    latitude REAL,
    longitude REAL,
    json TEXT NOT NULL,
    PRIMARY KEY (document_id, ord)
) STRICT, WITHOUT ROWID;

CREATE TABLE actors (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    text TEXT NOT NULL,
    start_byte INTEGER NOT NULL,
    end_byte INTEGER NOT NULL,
    name TEXT NOT NULL,
    inter INTEGER NOT NULL,
    country TEXT,
    PRIMARY KEY (document_id, ord)
) STRICT, WITHOUT ROWID;
CREATE INDEX actors_name ON actors(name);

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

-- Columns are ordered small to large: SQLite reads a row's columns in order,
-- and big texts spill to overflow pages.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,            -- document.id: JSONL id, WARC record id or input path
    content_hash TEXT NOT NULL,          -- of the body, the container metadata and --published
    file TEXT NOT NULL,                  -- the input it was read from
    line INTEGER,                        -- JSONL line or WARC record number
    kind TEXT NOT NULL CHECK (kind IN ('text', 'html')),
    text_len INTEGER NOT NULL,           -- bytes of the analysed text
    title TEXT,
    published TEXT,
    source_id INTEGER REFERENCES sources(id),
    url TEXT,
    language TEXT,
    author TEXT,
    engine TEXT NOT NULL,                -- the sitrep version that analysed it
    ingested_at TEXT NOT NULL,
    container TEXT NOT NULL,             -- JSON: what the container gave (published, url, outlet, title, diagnostics)
    diagnostics TEXT NOT NULL,           -- JSON array of the record's diagnostics
    places TEXT NOT NULL,                -- JSON array of the record's PlaceMentions (see the `places` view)
    actors TEXT NOT NULL,                -- JSON array of the record's ActorMentions (see the `actors` view)
    text TEXT,                           -- the analysed text, when it is not a prefix of raw
    raw TEXT NOT NULL                    -- the body as read (decoded to UTF-8), for recode
) STRICT;
CREATE INDEX documents_content_hash ON documents(content_hash);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,                -- position in the document's record
    uid TEXT NOT NULL,                   -- stable: a hash of the document key and event id; the report key of fusion
    event_id TEXT NOT NULL,              -- the event's id in the document's record
    fingerprint TEXT NOT NULL,           -- hash of json: tells changed events from unchanged
    features BLOB NOT NULL,              -- sitrep_fuse::Features::encode
    json TEXT NOT NULL                   -- the event, as the contract writes it (see the `event_fields` view)
) STRICT;
CREATE INDEX events_document ON events(document_id);

-- The events' main fields as columns.
CREATE VIEW event_fields AS
SELECT e.id, e.document_id, e.ord, e.uid, e.event_id,
       json_extract(e.json, '$.event_type') AS event_type, json_extract(e.json, '$.sub_event_type') AS sub_event_type,
       json_extract(e.json, '$.event_date') AS event_date, json_extract(e.json, '$.time_precision') AS time_precision,
       json_extract(e.json, '$.location.iso') AS iso, json_extract(e.json, '$.location.country') AS country,
       json_extract(e.json, '$.location.admin1') AS admin1, json_extract(e.json, '$.location.name') AS location,
       json_extract(e.json, '$.location.latitude') AS latitude, json_extract(e.json, '$.location.longitude') AS longitude,
       json_extract(e.json, '$.location.geo_precision') AS geo_precision,
       json_extract(e.json, '$.actor1.name') AS actor1, json_extract(e.json, '$.actor2.name') AS actor2,
       json_extract(e.json, '$.fatalities') AS fatalities, json_extract(e.json, '$.evidence.text') AS evidence
FROM events e;

-- Place and actor mentions, one row each (stored as JSON arrays in `documents`:
-- one write per document instead of dozens).
CREATE VIEW places AS
SELECT d.id AS document_id, CAST(p.key AS INTEGER) AS ord,
       json_extract(p.value, '$.text') AS text, json_extract(p.value, '$.start') AS start_byte,
       json_extract(p.value, '$.end') AS end_byte, json_extract(p.value, '$.name') AS name,
       json_extract(p.value, '$.geonameid') AS geonameid, json_extract(p.value, '$.iso') AS iso,
       json_extract(p.value, '$.admin1') AS admin1, json_extract(p.value, '$.latitude') AS latitude,
       json_extract(p.value, '$.longitude') AS longitude, p.value AS json
FROM documents d, json_each(d.places) p;

CREATE VIEW actors AS
SELECT d.id AS document_id, CAST(a.key AS INTEGER) AS ord,
       json_extract(a.value, '$.text') AS text, json_extract(a.value, '$.start') AS start_byte,
       json_extract(a.value, '$.end') AS end_byte, json_extract(a.value, '$.name') AS name,
       json_extract(a.value, '$.inter') AS inter, json_extract(a.value, '$.country') AS country
FROM documents d, json_each(d.actors) a;

-- sitrep store, schema version 2: fused events (one row per real event,
-- however many reports described it) and their full-text index.
--
-- A fused event's reports are listed in its JSON (`sources`: document and
-- event id of each); `key` is a hash of their uids.

CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,                   -- the fused event's id: a hash of its members' uids (unique by construction)
    fingerprint TEXT NOT NULL,           -- hash of the members' fingerprints: rebuilt when it changes
    event_type TEXT NOT NULL,
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
    fatalities INTEGER NOT NULL,
    fatalities_max INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    n_documents INTEGER NOT NULL,
    json TEXT NOT NULL                   -- sitrep_fuse::FusedEvent as JSON
) STRICT;
CREATE INDEX clusters_iso_date ON clusters(iso, event_date);
CREATE INDEX clusters_date ON clusters(event_date);
CREATE INDEX clusters_admin1_date ON clusters(admin1 COLLATE NOCASE, event_date);
CREATE INDEX clusters_point ON clusters(latitude, longitude);

-- Country names and codes of fused events, for `query --country NAME`.
CREATE TABLE countries (
    name TEXT NOT NULL COLLATE NOCASE,
    iso TEXT NOT NULL,
    PRIMARY KEY (name, iso)
) STRICT, WITHOUT ROWID;

-- Full-text search (rowid = clusters.id) over the evidence of every report
-- of a fused event, and over every actor name any report gave.
CREATE VIRTUAL TABLE clusters_fts USING fts5(
    evidence, actors, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER clusters_delete AFTER DELETE ON clusters BEGIN
    DELETE FROM clusters_fts WHERE rowid = old.id;
END;

-- Existing events need fusing.
INSERT INTO meta(key, value) VALUES ('fusion_dirty', '1')
    ON CONFLICT(key) DO UPDATE SET value = '1';

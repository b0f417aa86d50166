-- sitrep store, schema version 2: fused events (one row per real event,
-- however many reports described it), their actors and a spatial index.

CREATE TABLE clusters (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,            -- the fused event's id: a hash of its members' uids
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
CREATE INDEX clusters_country ON clusters(country COLLATE NOCASE, iso);
CREATE INDEX clusters_type_date ON clusters(sub_event_type, event_date);

-- Actor names of fused events, for `query --actor`.
CREATE TABLE actor_names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
) STRICT;
CREATE TABLE cluster_actors (
    actor_id INTEGER NOT NULL REFERENCES actor_names(id),
    cluster_id INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE,
    PRIMARY KEY (actor_id, cluster_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX cluster_actors_cluster ON cluster_actors(cluster_id);

CREATE VIRTUAL TABLE clusters_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);

-- Full-text search over the evidence of every report of a fused event (rowid = clusters.id).
CREATE VIRTUAL TABLE clusters_fts USING fts5(
    evidence, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER clusters_delete AFTER DELETE ON clusters BEGIN
    DELETE FROM clusters_rtree WHERE id = old.id;
    DELETE FROM clusters_fts WHERE rowid = old.id;
END;

-- Existing events need fusing.
INSERT INTO meta(key, value) VALUES ('fusion_dirty', '1')
    ON CONFLICT(key) DO UPDATE SET value = '1';

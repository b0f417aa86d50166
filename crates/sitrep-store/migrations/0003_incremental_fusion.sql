-- sitrep store, schema version 3: what incremental fusion looks up, so that
-- a write fuses its new events with the stored events around them without
-- reading every event.
--
-- Two reports can fuse only when they share a fusion block (the family of
-- their event types and their country) and their dates lie within the
-- fusion window of their time precisions (sitrep_fuse::fusion_block): the
-- index finds a new event's possible partners by block, precision class and
-- date. The columns are NULL for events that never fuse (no date or no
-- point) and for events of older stores until the next full fusion pass
-- fills them (this migration marks fusion pending).

ALTER TABLE events ADD COLUMN fblock INTEGER;   -- family component × 65536 + country code (0: none)
ALTER TABLE events ADD COLUMN fclass INTEGER;   -- time precision class, 0-2
ALTER TABLE events ADD COLUMN fday INTEGER;     -- event date, days since 1970-01-01
CREATE INDEX events_fusion ON events(fblock, fclass, fday) WHERE fblock IS NOT NULL;

-- The fused event each event belongs to.
CREATE TABLE fused_members (
    event INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
    cluster INTEGER NOT NULL REFERENCES clusters(id) ON DELETE CASCADE
) STRICT;
CREATE INDEX fused_members_cluster ON fused_members(cluster);

INSERT INTO meta(key, value) VALUES ('fusion_dirty', '1')
    ON CONFLICT(key) DO UPDATE SET value = '1';

-- sitrep store, schema version 4: less written per report.
--
-- A fused event made of one report (most fused events) stores '' as its
-- JSON: readers rebuild it from that report's event row (`fused_members`
-- → `events` → `documents`), exactly as fusion would write it. The JSON was
-- a second copy of the event, and about a fifth of a store's bytes.
-- Fused events of older stores are converted here when their fusion is up
-- to date (otherwise the pending fusion pass writes them this way).

UPDATE clusters SET json = ''
 WHERE (SELECT value FROM meta WHERE key = 'fusion_dirty') IS NOT '1'
   AND id IN (SELECT cluster FROM fused_members GROUP BY cluster HAVING count(*) = 1);

-- Place and actor mentions are stored as arrays of values instead of
-- objects (the keys were most of their bytes): one array per mention, its
-- values in the order of the contract's keys. Places: text, start, end, name,
-- geonameid, feature_code, iso, country, admin1, admin2 (null when the
-- contract leaves it out), latitude, longitude, kind, geo_precision,
-- confidence. Actors: text, start, end, name, inter, country. The views give
-- the same columns as before, and `places.json` the contract's object.

DROP VIEW places;
CREATE VIEW places AS
SELECT d.id AS document_id, CAST(p.key AS INTEGER) AS ord,
       p.value ->> 0 AS text, p.value ->> 1 AS start_byte, p.value ->> 2 AS end_byte, p.value ->> 3 AS name,
       p.value ->> 4 AS geonameid, p.value ->> 6 AS iso, p.value ->> 8 AS admin1,
       p.value ->> 10 AS latitude, p.value ->> 11 AS longitude,
       CASE WHEN p.value ->> 9 IS NULL
            THEN json_object(
                'text', json(p.value -> 0), 'start', json(p.value -> 1), 'end', json(p.value -> 2), 'name', json(p.value -> 3),
                'geonameid', json(p.value -> 4), 'feature_code', json(p.value -> 5), 'iso', json(p.value -> 6), 'country', json(p.value -> 7),
                'admin1', json(p.value -> 8), 'latitude', json(p.value -> 10), 'longitude', json(p.value -> 11), 'kind', json(p.value -> 12),
                'geo_precision', json(p.value -> 13), 'confidence', json(p.value -> 14))
            ELSE json_object(
                'text', json(p.value -> 0), 'start', json(p.value -> 1), 'end', json(p.value -> 2), 'name', json(p.value -> 3),
                'geonameid', json(p.value -> 4), 'feature_code', json(p.value -> 5), 'iso', json(p.value -> 6), 'country', json(p.value -> 7),
                'admin1', json(p.value -> 8), 'admin2', json(p.value -> 9), 'latitude', json(p.value -> 10), 'longitude', json(p.value -> 11),
                'kind', json(p.value -> 12), 'geo_precision', json(p.value -> 13), 'confidence', json(p.value -> 14))
       END AS json
FROM documents d, json_each(d.places) p;

DROP VIEW actors;
CREATE VIEW actors AS
SELECT d.id AS document_id, CAST(a.key AS INTEGER) AS ord,
       a.value ->> 0 AS text, a.value ->> 1 AS start_byte, a.value ->> 2 AS end_byte, a.value ->> 3 AS name,
       a.value ->> 4 AS inter, a.value ->> 5 AS country
FROM documents d, json_each(d.actors) a;

-- Older stores' mentions, converted (number literals kept as written).
UPDATE documents SET places = (SELECT json_group_array(json_array(
        json(p.value -> '$.text'), json(p.value -> '$.start'), json(p.value -> '$.end'), json(p.value -> '$.name'),
        json(p.value -> '$.geonameid'), json(p.value -> '$.feature_code'), json(p.value -> '$.iso'), json(p.value -> '$.country'),
        json(p.value -> '$.admin1'), json(p.value -> '$.admin2'), json(p.value -> '$.latitude'), json(p.value -> '$.longitude'),
        json(p.value -> '$.kind'), json(p.value -> '$.geo_precision'), json(p.value -> '$.confidence')))
    FROM json_each(documents.places) p)
WHERE places LIKE '[{%';
UPDATE documents SET actors = (SELECT json_group_array(json_array(
        json(p.value -> '$.text'), json(p.value -> '$.start'), json(p.value -> '$.end'), json(p.value -> '$.name'),
        json(p.value -> '$.inter'), json(p.value -> '$.country')))
    FROM json_each(documents.actors) p)
WHERE actors LIKE '[{%';

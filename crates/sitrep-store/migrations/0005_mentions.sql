-- sitrep store, schema version 5: place and actor mentions stored once per
-- distinct value.
--
-- `documents.places` is `[resolutions, mentions]`: each distinct resolution
-- once, as an array of values in the order of the contract's keys (name,
-- geonameid, feature_code, iso, country, admin1, admin2 (null when the
-- contract leaves it out), latitude, longitude, kind, geo_precision,
-- confidence), and each mention as [start, end, index of its resolution],
-- plus its text when that is not the analysed text's bytes start..end (the
-- analysed text is `documents.text`, or `documents.raw` when `text` is null).
-- `documents.actors` the same, with (name, inter, country) as the values. A
-- report names the same places and actors many times: the repeated values,
-- and texts the document holds already, were two thirds of these columns.
-- The views give the same columns as before.

DROP VIEW places;
CREATE VIEW places AS
SELECT document_id, ord, text, start_byte, end_byte, name, geonameid, iso, admin1, latitude, longitude,
       CASE WHEN admin2 IS NULL
            THEN json_object(
                'text', text, 'start', json(m -> 0), 'end', json(m -> 1), 'name', json(r -> 0),
                'geonameid', json(r -> 1), 'feature_code', json(r -> 2), 'iso', json(r -> 3), 'country', json(r -> 4),
                'admin1', json(r -> 5), 'latitude', json(r -> 7), 'longitude', json(r -> 8), 'kind', json(r -> 9),
                'geo_precision', json(r -> 10), 'confidence', json(r -> 11))
            ELSE json_object(
                'text', text, 'start', json(m -> 0), 'end', json(m -> 1), 'name', json(r -> 0),
                'geonameid', json(r -> 1), 'feature_code', json(r -> 2), 'iso', json(r -> 3), 'country', json(r -> 4),
                'admin1', json(r -> 5), 'admin2', json(r -> 6), 'latitude', json(r -> 7), 'longitude', json(r -> 8),
                'kind', json(r -> 9), 'geo_precision', json(r -> 10), 'confidence', json(r -> 11))
       END AS json
FROM (
    SELECT d.id AS document_id, CAST(m.key AS INTEGER) AS ord, m.value AS m, r.value AS r,
           coalesce(m.value ->> 3, CAST(substr(CAST(coalesce(d.text, d.raw) AS BLOB), (m.value ->> 0) + 1,
                                               (m.value ->> 1) - (m.value ->> 0)) AS TEXT)) AS text,
           m.value ->> 0 AS start_byte, m.value ->> 1 AS end_byte, r.value ->> 0 AS name, r.value ->> 1 AS geonameid,
           r.value ->> 3 AS iso, r.value ->> 5 AS admin1, r.value ->> 6 AS admin2,
           r.value ->> 7 AS latitude, r.value ->> 8 AS longitude
    FROM documents d, json_each(d.places, '$[1]') m, json_each(d.places, '$[0]') r
    WHERE r.key = m.value ->> 2
);

DROP VIEW actors;
CREATE VIEW actors AS
SELECT d.id AS document_id, CAST(m.key AS INTEGER) AS ord,
       coalesce(m.value ->> 3, CAST(substr(CAST(coalesce(d.text, d.raw) AS BLOB), (m.value ->> 0) + 1,
                                           (m.value ->> 1) - (m.value ->> 0)) AS TEXT)) AS text,
       m.value ->> 0 AS start_byte, m.value ->> 1 AS end_byte, a.value ->> 0 AS name,
       a.value ->> 1 AS inter, a.value ->> 2 AS country
FROM documents d, json_each(d.actors, '$[1]') m, json_each(d.actors, '$[0]') a
WHERE a.key = m.value ->> 2;

-- Older stores' mentions, converted: a resolution per mention, and the
-- mention's text kept as it was (number literals kept as written).
UPDATE documents SET places = json_array(
    json((SELECT json_group_array(json_array(
            json(p.value -> 3), json(p.value -> 4), json(p.value -> 5), json(p.value -> 6), json(p.value -> 7),
            json(p.value -> 8), json(p.value -> 9), json(p.value -> 10), json(p.value -> 11), json(p.value -> 12),
            json(p.value -> 13), json(p.value -> 14)) ORDER BY CAST(p.key AS INTEGER))
       FROM json_each(documents.places) p)),
    json((SELECT json_group_array(json_array(json(p.value -> 1), json(p.value -> 2), CAST(p.key AS INTEGER), json(p.value -> 0))
                             ORDER BY CAST(p.key AS INTEGER))
       FROM json_each(documents.places) p)))
WHERE json_type(places, '$[0]') IS NULL OR json_type(places, '$[0][0]') = 'text';
UPDATE documents SET actors = json_array(
    json((SELECT json_group_array(json_array(json(p.value -> 3), json(p.value -> 4), json(p.value -> 5))
                             ORDER BY CAST(p.key AS INTEGER))
       FROM json_each(documents.actors) p)),
    json((SELECT json_group_array(json_array(json(p.value -> 1), json(p.value -> 2), CAST(p.key AS INTEGER), json(p.value -> 0))
                             ORDER BY CAST(p.key AS INTEGER))
       FROM json_each(documents.actors) p)))
WHERE json_type(actors, '$[0]') IS NULL OR json_type(actors, '$[0][0]') = 'text';

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

-- The outbox rows bench/generate.sql does not write (the reports do not
-- read them), for the export benchmarks (bench/bulk.sh): one `created`
-- event per generated activity, its payload a demo activity's of the same
-- kind with the generated activity's id, ward, time and version, so that
-- both exports read and map payloads shaped as the service writes them.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET session_replication_role = replica;
CREATE TEMP TABLE bench_templates AS
SELECT DISTINCT ON (payload ->> 'kind') payload ->> 'kind' AS kind, payload
FROM activity_events ORDER BY payload ->> 'kind', id;
INSERT INTO activity_events (activity_id, ward_id, event_type, version, occurred_at, payload)
SELECT a.id, a.ward_id, 'created', a.version, a.started_at,
       t.payload || jsonb_build_object('id', a.id, 'ward_id', a.ward_id, 'version', a.version,
                                       'started_at', a.started_at, 'recorded_by', a.recorded_by)
FROM activities a JOIN bench_templates t ON t.kind = a.kind
WHERE a.content_hash = 'bench'
ORDER BY a.started_at;

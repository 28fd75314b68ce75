-- Golden script: PostgreSQL queries and psql meta-commands; output compared with queries.out.
CREATE TABLE events (id int PRIMARY KEY, at timestamp, at_tz timestamptz, took interval, doc jsonb, tags text[], price numeric(8,2) DEFAULT 0);
INSERT INTO events VALUES (1, '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.5+02', '1 day 02:00:00', '{"user": {"name": "ann"}, "n": [1, 2]}', '{red,blue}', 1.50),
    (2, '2024-02-01 00:00:00', NULL, '90 minutes', '{"user": {"name": "bob"}}', NULL, 2.25);
\d events
\dt
\di
SELECT id, at, at_tz, took FROM events ORDER BY id;
SELECT 'x'::text, 1::int4, 1.5::float8, 'yes'::bool, '{"b":1,"a":2}'::jsonb, 42::oid, true::text;
SELECT count(*), upper('a'), coalesce(NULL, 1), 1::text, id::text, CASE WHEN true THEN 1 END FROM events GROUP BY id ORDER BY id;
SELECT at + interval '1 day', at - '2024-01-01'::timestamp, took * 2, date '2024-03-01' - date '2024-01-01' FROM events ORDER BY id;
SELECT date_trunc('month', at), to_char(at, 'YYYY-MM-DD HH24:MI:SS.US'), extract(epoch from took) FROM events ORDER BY id;
SELECT doc -> 'user' ->> 'name' AS name, doc @> '{"n": [2]}' AS has_two, jsonb_typeof(doc -> 'n') FROM events ORDER BY id;
SELECT array_to_string(tags, ', '), 'red' = ANY(tags), tags || 'green'::text FROM events ORDER BY id;
SELECT g, g * 2 AS twice FROM generate_series(1, 3) g;
SELECT 1 WHERE true;
SELECT 1.0 / 3, avg(price), sum(price) FROM events;
SELECT id FROM events WHERE at > '2024-01-15';
SELECT at + 1 FROM events;
SELECT 1::nosuchtype;
SELECT no_such_function(1);
\x
SELECT id, doc FROM events WHERE id = 2;

create or replace stream readings (id int key, payload bytes) with (kafka_topic='r', key_format='KAFKA', value_format='JSON');
CREATE SOURCE TABLE IF NOT EXISTS sites (site STRING PRIMARY KEY, opened DATE, shift_start TIME, tz VARCHAR)
  WITH (KAFKA_TOPIC='sites', FORMAT='JSON');
CREATE STREAM typed (
  a BOOLEAN, b INTEGER, c BIGINT, d DOUBLE, e DECIMAL(10, 2), f STRING, g VARCHAR, h BYTES, i DATE, j TIME, k TIMESTAMP,
  l ARRAY<ARRAY<INT>>, m MAP<STRING, STRUCT<x INT, `y z` ARRAY<STRING>>>, n STRUCT<>, o my_type,
  hdrs ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, trace BYTES HEADER('trace-id')
) WITH (KAFKA_TOPIC='typed', VALUE_FORMAT='JSON', REPLICAS=-1, WRAP_SINGLE_VALUE=false, RETENTION_MS=6.048E8, X=NULL);
CREATE STREAM inferred WITH (KAFKA_TOPIC='inferred', VALUE_FORMAT='AVRO');
CREATE OR REPLACE TABLE IF NOT EXISTS totals WITH (KAFKA_TOPIC='totals') AS SELECT k, SUM(v) AS total FROM s GROUP BY k EMIT CHANGES

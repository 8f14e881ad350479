-- The demo plant's conveyor pipeline: raw job records, machine master data, a cleaned stream, a 1-minute window.
CREATE STREAM conveyor_raw (sourceName STRING KEY, tags STRUCT<beltSpeed DOUBLE, motorCurrent DOUBLE, vibration
  DOUBLE, sequence BIGINT>, quality MAP<STRING, STRING>, `timestamp` BIGINT) WITH (KAFKA_TOPIC='plant.conveyor',
  VALUE_FORMAT='JSON', TIMESTAMP='`timestamp`');
CREATE TABLE machines (id STRING PRIMARY KEY, line STRING, site STRING) WITH (KAFKA_TOPIC='machines', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE STREAM conveyor AS SELECT sourceName AS machine, tags->beltSpeed AS belt_speed, tags->vibration AS vibration
  FROM conveyor_raw WHERE quality['vibration'] = 'GOOD' EMIT CHANGES;
CREATE TABLE vibration_1m AS SELECT machine, AVG(vibration) AS avg_vib, MAX(vibration) AS max_vib, COUNT(*) AS n,
  LATEST_BY_OFFSET(ROWTIME) AS last_seen FROM conveyor WINDOW TUMBLING (SIZE 1 MINUTE, GRACE PERIOD 10 SECONDS)
  GROUP BY machine HAVING MAX(vibration) > 7.1 EMIT CHANGES;
SELECT * FROM vibration_1m WHERE machine = 'conveyor' AND WINDOWSTART >= '2026-11-24T10:00:00';

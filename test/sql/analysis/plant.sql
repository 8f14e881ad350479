-- The catalog every analysis case starts from: the demo plant's connector records and machine metadata, plus a few
-- sources that exercise formats, composite keys and windows.

-- PLC4X job records as Fabrik's connector writes them: key {"sourceName", "jobName"}, value {"tags", "timestamp", …}.
CREATE STREAM PLANT_RECORDS (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<STATE STRING, OIL_TEMPERATURE DOUBLE, HYDRAULIC_PRESSURE DOUBLE, STROKES BIGINT, MOTOR_CURRENT DOUBLE,
              JOINT_TEMPERATURES ARRAY<DOUBLE>>,
  TIMESTAMP BIGINT,
  EXPIRES BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP');

-- Machine metadata, keyed by machine id (the job record's sourceName).
CREATE TABLE MACHINES (
  MACHINE_ID STRING PRIMARY KEY,
  NAME STRING,
  LINE STRING,
  PROTOCOL STRING,
  TEMP_LIMIT DOUBLE
) WITH (KAFKA_TOPIC='machines', VALUE_FORMAT='JSON');

-- Readings keyed by machine, three partitions like the machines topic.
CREATE STREAM READINGS (
  MACHINE_ID STRING KEY,
  SENSOR STRING,
  READING DOUBLE,
  SEQ INT
) WITH (KAFKA_TOPIC='readings', VALUE_FORMAT='JSON');

-- A table with a two-column key.
CREATE TABLE SETPOINTS (
  MACHINE_ID STRING PRIMARY KEY,
  TAG STRING PRIMARY KEY,
  SETPOINT DOUBLE
) WITH (KAFKA_TOPIC='setpoints', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');

-- A key-less stream of delimited lines.
CREATE STREAM EVENTS (
  SOURCE STRING,
  CODE INT,
  TEXT STRING
) WITH (KAFKA_TOPIC='events', VALUE_FORMAT='DELIMITED', VALUE_DELIMITER='|');

-- A windowed table as another engine wrote it.
CREATE TABLE HOURLY_ENERGY (
  METER STRING PRIMARY KEY,
  KWH DOUBLE
) WITH (KAFKA_TOPIC='hourly-energy', VALUE_FORMAT='JSON', WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 HOUR');

-- A read-only source stream.
CREATE SOURCE STREAM AUDIT (
  ID STRING KEY,
  ACTION STRING
) WITH (KAFKA_TOPIC='audit', VALUE_FORMAT='JSON');

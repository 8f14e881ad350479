-- The demo plant's SQL pipeline (ksqlDB's dialect, runs unchanged on `fabrik sql`): PLC job records from
-- examples/demo-plant/connect.yaml → one flat stream per machine → one status stream for all machines → enriched
-- with the machine table → 1-minute stats, limit alerts, stale machines and OEE per machine and shift.
-- `fabrik demo` applies it (statements already in the engine are skipped); by hand: `fabrik sql -f pipeline.sql`.
-- What each result means and how to query it: docs/demo.md.

-- New queries read their inputs from the beginning: the plant topics may hold samples from before the pipeline ran.
SET 'auto.offset.reset'='earliest';

---------------------------------------------------------------------------------------------------------------------
-- Machine metadata: what the PLCs do not say about themselves. One row per connector source, keyed by its name.
-- WATCH_* name the one signal per machine that the alerts watch, with the limits of the simulator's own alarms
-- (docs/simulator.md); NOMINAL_RATE is what the machine is rated for; IDEAL_CYCLE_S is the rated time per unit for
-- machines whose PLC does not report one. One partition, like every topic below (see MACHINE_STATUS).
---------------------------------------------------------------------------------------------------------------------
CREATE TABLE MACHINES (
  MACHINE_ID STRING PRIMARY KEY,
  ASSET_ID STRING,
  NAME STRING,
  KIND STRING,
  LINE STRING,
  AREA STRING,
  PROTOCOL STRING,
  NOMINAL_RATE DOUBLE,
  RATE_UNIT STRING,
  IDEAL_CYCLE_S DOUBLE,
  WATCH_SIGNAL STRING,
  WATCH_UNIT STRING,
  WATCH_LOW DOUBLE,
  WATCH_HIGH DOUBLE
) WITH (KAFKA_TOPIC='plant.machines', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', PARTITIONS=1);

-- The press's oil alarm is at 60 °C (it trips at 70); 20 strokes a minute is a 3 s stroke.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('press', 'P1', 'Press P1', 'press', 'PACK-1', 'Forming', 'Siemens S7', 20.0, 'strokes/min', 3.0,
          'oilTemperature', '°C', NULL, 60.0);
-- The conveyor's vibration alarm is at 4.5 mm/s (its bearing trips at 7.1).
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('conveyor', 'C1', 'Conveyor C1', 'conveyor', 'PACK-1', 'Transport', 'Modbus TCP', 24.0, 'm/min', NULL,
          'vibration', 'mm/s', NULL, 4.5);
-- The line's feeder: the watch is its total active power against what the feeder is sized for.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('energy', 'E1', 'Energy meter E1', 'energy', 'PACK-1', 'Utilities', 'Modbus TCP', NULL, NULL, NULL,
          'activePower', 'kW', NULL, 60.0);
-- The robot's joint alarm is at 80 °C (trip at 90); its rated cycle depends on its program: the controller says it.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('robot', 'R1', 'Robot cell R1', 'robot', 'PACK-1', 'Handling', 'OPC UA', NULL, NULL, NULL,
          'hottestJoint', '°C', NULL, 80.0);
-- The product seals between 160 and 175 °C; outside that band packs are rejected.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('packer', 'K1', 'Packer K1', 'packer', 'PACK-1', 'Packaging', 'Beckhoff ADS', 50.0, 'packs/min', 1.2,
          'sealingTemperature', '°C', 160.0, 175.0);
-- Rated at the line's design speed (the packer's 50 packs/min), not at the 3 packs/s the palletizer could do; its
-- infeed holds 200 packs, so 180 waiting means the line is about to be blocked.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('palletizer', 'L1', 'Palletizer L1', 'palletizer', 'PACK-1', 'End of line', 'EtherNet/IP', 50.0,
          'packs/min', 1.2, 'infeedQueue', 'packs', NULL, 180.0);
-- Tools stop working below about 5.5 bar of compressed air, where the simulator's alarm is.
INSERT INTO MACHINES (MACHINE_ID, ASSET_ID, NAME, KIND, LINE, AREA, PROTOCOL, NOMINAL_RATE, RATE_UNIT, IDEAL_CYCLE_S,
                      WATCH_SIGNAL, WATCH_UNIT, WATCH_LOW, WATCH_HIGH)
  VALUES ('environment', 'ENV1', 'Environment node', 'environment', 'PACK-1', 'Utilities', 'MQTT Sparkplug B', NULL,
          NULL, NULL, 'airPressure', 'bar', 5.5, NULL);

---------------------------------------------------------------------------------------------------------------------
-- The connector's topics as they are: PLC4X job records, key {sourceName, jobName}, value {tags, timestamp, expires,
-- quality}. Struct fields match the tags' camelCase names ignoring case. The sample time is the event time.
---------------------------------------------------------------------------------------------------------------------
CREATE STREAM PRESS_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, STROKES BIGINT, GOODCOUNT BIGINT,
              REJECTCOUNT BIGINT, IDEALCYCLETIME DOUBLE, PRESSURE DOUBLE, OILTEMPERATURE DOUBLE, MOTORCURRENT DOUBLE,
              RAMPOSITION DOUBLE, PRESSURESETPOINT DOUBLE>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.press', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM CONVEYOR_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, BELTSPEED DOUBLE, MOTORCURRENT DOUBLE,
              VIBRATION DOUBLE, JAM BOOLEAN, BELTSPEEDSETPOINT DOUBLE>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.conveyor', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM ENERGY_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, VOLTAGEL1 DOUBLE, VOLTAGEL2 DOUBLE,
              VOLTAGEL3 DOUBLE, FREQUENCY DOUBLE, CURRENTL1 DOUBLE, CURRENTL2 DOUBLE, CURRENTL3 DOUBLE,
              ACTIVEPOWER DOUBLE, POWERFACTOR DOUBLE, ENERGY DOUBLE>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.energy', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM ROBOT_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, CYCLETIME DOUBLE, IDEALCYCLETIME DOUBLE,
              GOODCOUNT BIGINT, REJECTCOUNT BIGINT, JOINTTEMPERATURES ARRAY<DOUBLE>, GRIPPERCLOSED BOOLEAN,
              SPEEDOVERRIDE DOUBLE, PROGRAMNAME STRING>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.robot', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM PACKER_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, PACKSMADE BIGINT, GOODCOUNT BIGINT,
              REJECTCOUNT BIGINT, IDEALCYCLETIME DOUBLE, FILMTENSION DOUBLE, FILMREMAINING DOUBLE,
              SEALINGTEMPERATURE DOUBLE, SEALINGBANDLOW DOUBLE, SEALINGBANDHIGH DOUBLE>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.packer', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM PALLETIZER_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, LAYERCOUNT INTEGER, PACKSONLAYER INTEGER,
              PALLETSCOMPLETE INTEGER, PACKSPALLETIZED INTEGER, INFEEDQUEUE INTEGER>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.palletizer', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP', PARTITIONS=1);

CREATE STREAM ENVIRONMENT_RAW (
  JOB STRUCT<SOURCENAME STRING, JOBNAME STRING> KEY,
  TAGS STRUCT<SEQUENCE BIGINT, STATE INTEGER, STOPREASON INTEGER, HALLTEMPERATURE DOUBLE, HUMIDITY DOUBLE,
              AIRPRESSURE DOUBLE, COMPRESSORRUNNING BOOLEAN>,
  TIMESTAMP BIGINT,
  QUALITY MAP<STRING, STRING>
) WITH (KAFKA_TOPIC='plant.environment', KEY_FORMAT='JSON', VALUE_FORMAT='JSON', TIMESTAMP='TIMESTAMP',
        PARTITIONS=1);

---------------------------------------------------------------------------------------------------------------------
-- One flat stream per machine: every tag a column (tags->x), keyed by the machine (the source name) with a plain
-- string key, so that it joins MACHINES without a repartition. BAD_TAGS counts the tags the connector could not read
-- (their value is NULL, never a stale one).
---------------------------------------------------------------------------------------------------------------------
CREATE STREAM PRESS_READINGS WITH (KAFKA_TOPIC='plant.flat.press', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->STROKES AS STROKES, TAGS->GOODCOUNT AS GOOD_COUNT, TAGS->REJECTCOUNT AS REJECT_COUNT,
         TAGS->IDEALCYCLETIME AS IDEAL_CYCLE_S, TAGS->PRESSURE AS PRESSURE, TAGS->OILTEMPERATURE AS OIL_TEMPERATURE,
         TAGS->MOTORCURRENT AS MOTOR_CURRENT, TAGS->RAMPOSITION AS RAM_POSITION,
         TAGS->PRESSURESETPOINT AS PRESSURE_SETPOINT,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM PRESS_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

CREATE STREAM CONVEYOR_READINGS WITH (KAFKA_TOPIC='plant.flat.conveyor', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->BELTSPEED AS BELT_SPEED, TAGS->MOTORCURRENT AS MOTOR_CURRENT, TAGS->VIBRATION AS VIBRATION,
         TAGS->JAM AS JAM, TAGS->BELTSPEEDSETPOINT AS BELT_SPEED_SETPOINT,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM CONVEYOR_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

CREATE STREAM ENERGY_READINGS WITH (KAFKA_TOPIC='plant.flat.energy', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->VOLTAGEL1 AS VOLTAGE_L1, TAGS->VOLTAGEL2 AS VOLTAGE_L2, TAGS->VOLTAGEL3 AS VOLTAGE_L3,
         TAGS->FREQUENCY AS FREQUENCY, TAGS->CURRENTL1 AS CURRENT_L1, TAGS->CURRENTL2 AS CURRENT_L2,
         TAGS->CURRENTL3 AS CURRENT_L3, TAGS->ACTIVEPOWER AS ACTIVE_POWER, TAGS->POWERFACTOR AS POWER_FACTOR,
         TAGS->ENERGY AS ENERGY_KWH,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM ENERGY_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

-- HOTTEST_JOINT: the alarm is per joint, so the hottest of the six is what to watch.
CREATE STREAM ROBOT_READINGS WITH (KAFKA_TOPIC='plant.flat.robot', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->CYCLETIME AS CYCLE_TIME, TAGS->IDEALCYCLETIME AS IDEAL_CYCLE_S, TAGS->GOODCOUNT AS GOOD_COUNT,
         TAGS->REJECTCOUNT AS REJECT_COUNT, TAGS->JOINTTEMPERATURES AS JOINT_TEMPERATURES,
         ARRAY_MAX(TAGS->JOINTTEMPERATURES) AS HOTTEST_JOINT, TAGS->GRIPPERCLOSED AS GRIPPER_CLOSED,
         TAGS->SPEEDOVERRIDE AS SPEED_OVERRIDE, TAGS->PROGRAMNAME AS PROGRAM_NAME,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM ROBOT_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

CREATE STREAM PACKER_READINGS WITH (KAFKA_TOPIC='plant.flat.packer', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->PACKSMADE AS PACKS_MADE, TAGS->GOODCOUNT AS GOOD_COUNT, TAGS->REJECTCOUNT AS REJECT_COUNT,
         TAGS->IDEALCYCLETIME AS IDEAL_CYCLE_S, TAGS->FILMTENSION AS FILM_TENSION,
         TAGS->FILMREMAINING AS FILM_REMAINING, TAGS->SEALINGTEMPERATURE AS SEALING_TEMPERATURE,
         TAGS->SEALINGBANDLOW AS SEALING_BAND_LOW, TAGS->SEALINGBANDHIGH AS SEALING_BAND_HIGH,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM PACKER_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

CREATE STREAM PALLETIZER_READINGS WITH (KAFKA_TOPIC='plant.flat.palletizer', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->LAYERCOUNT AS LAYER_COUNT, TAGS->PACKSONLAYER AS PACKS_ON_LAYER,
         TAGS->PALLETSCOMPLETE AS PALLETS_COMPLETE, TAGS->PACKSPALLETIZED AS PACKS_PALLETIZED,
         TAGS->INFEEDQUEUE AS INFEED_QUEUE,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM PALLETIZER_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

CREATE STREAM ENVIRONMENT_READINGS WITH (KAFKA_TOPIC='plant.flat.environment', KEY_FORMAT='KAFKA') AS
  SELECT JOB->SOURCENAME AS MACHINE_ID, TAGS->SEQUENCE AS SEQ, TAGS->STATE AS STATE, TAGS->STOPREASON AS STOP_REASON,
         TAGS->HALLTEMPERATURE AS HALL_TEMPERATURE, TAGS->HUMIDITY AS HUMIDITY, TAGS->AIRPRESSURE AS AIR_PRESSURE,
         TAGS->COMPRESSORRUNNING AS COMPRESSOR_RUNNING,
         ARRAY_LENGTH(FILTER(MAP_VALUES(QUALITY), (Q) => Q <> 'GOOD')) AS BAD_TAGS, TIMESTAMP AS TS
  FROM ENVIRONMENT_RAW PARTITION BY JOB->SOURCENAME EMIT CHANGES;

---------------------------------------------------------------------------------------------------------------------
-- One status stream for the whole plant: what every machine has (sequence, state word, stop reason), its counters
-- where it has them (NULL otherwise), and its watched signal. Everything downstream works on this one stream.
-- It has one partition on purpose: stream time is per partition and moves only with records, so a machine that went
-- silent has its windows closed by the other machines' samples (STALE_MACHINES needs that). The plant's few samples
-- a second are far below what one partition takes.
---------------------------------------------------------------------------------------------------------------------
CREATE STREAM MACHINE_STATUS (
  MACHINE_ID STRING KEY,
  SEQ BIGINT,
  STATE INTEGER,
  STOP_REASON INTEGER,
  GOOD_COUNT BIGINT,
  REJECT_COUNT BIGINT,
  IDEAL_CYCLE_S DOUBLE,
  WATCH_VALUE DOUBLE,
  BAD_TAGS INTEGER,
  TS BIGINT
) WITH (KAFKA_TOPIC='plant.status', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', TIMESTAMP='TS', PARTITIONS=1);

-- Each machine's samples into MACHINE_STATUS. The query ids are fixed so that `fabrik demo` can tell they run.
INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_PRESS')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, GOOD_COUNT, REJECT_COUNT, IDEAL_CYCLE_S, OIL_TEMPERATURE AS WATCH_VALUE,
         BAD_TAGS, TS
  FROM PRESS_READINGS EMIT CHANGES;

INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_CONVEYOR')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, CAST(NULL AS BIGINT) AS GOOD_COUNT, CAST(NULL AS BIGINT) AS REJECT_COUNT,
         CAST(NULL AS DOUBLE) AS IDEAL_CYCLE_S, VIBRATION AS WATCH_VALUE, BAD_TAGS, TS
  FROM CONVEYOR_READINGS EMIT CHANGES;

INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_ENERGY')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, CAST(NULL AS BIGINT) AS GOOD_COUNT, CAST(NULL AS BIGINT) AS REJECT_COUNT,
         CAST(NULL AS DOUBLE) AS IDEAL_CYCLE_S, ACTIVE_POWER AS WATCH_VALUE, BAD_TAGS, TS
  FROM ENERGY_READINGS EMIT CHANGES;

INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_ROBOT')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, GOOD_COUNT, REJECT_COUNT, IDEAL_CYCLE_S, HOTTEST_JOINT AS WATCH_VALUE,
         BAD_TAGS, TS
  FROM ROBOT_READINGS EMIT CHANGES;

INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_PACKER')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, GOOD_COUNT, REJECT_COUNT, IDEAL_CYCLE_S,
         SEALING_TEMPERATURE AS WATCH_VALUE, BAD_TAGS, TS
  FROM PACKER_READINGS EMIT CHANGES;

-- The palletizer rejects nothing: every pack placed is a good one.
INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_PALLETIZER')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, CAST(PACKS_PALLETIZED AS BIGINT) AS GOOD_COUNT,
         CAST(0 AS BIGINT) AS REJECT_COUNT, CAST(NULL AS DOUBLE) AS IDEAL_CYCLE_S,
         CAST(INFEED_QUEUE AS DOUBLE) AS WATCH_VALUE, BAD_TAGS, TS
  FROM PALLETIZER_READINGS EMIT CHANGES;

INSERT INTO MACHINE_STATUS WITH (QUERY_ID='STATUS_FROM_ENVIRONMENT')
  SELECT MACHINE_ID, SEQ, STATE, STOP_REASON, CAST(NULL AS BIGINT) AS GOOD_COUNT, CAST(NULL AS BIGINT) AS REJECT_COUNT,
         CAST(NULL AS DOUBLE) AS IDEAL_CYCLE_S, AIR_PRESSURE AS WATCH_VALUE, BAD_TAGS, TS
  FROM ENVIRONMENT_READINGS EMIT CHANGES;

---------------------------------------------------------------------------------------------------------------------
-- Enrichment: each status sample with its machine's metadata (stream-table join on the machine id; LEFT, so that a
-- machine missing from MACHINES still shows, with NULL metadata), the state and stop reason as names, and the shift
-- the sample belongs to. Shifts are the simulator's three-shift calendar in UTC: EARLY 06-14, LATE 14-22, NIGHT 22-06;
-- a night shift is named after the day it started on.
---------------------------------------------------------------------------------------------------------------------
CREATE STREAM MACHINE_STATUS_ENRICHED AS
  SELECT S.MACHINE_ID AS MACHINE_ID, M.ASSET_ID AS ASSET_ID, M.NAME AS NAME, M.LINE AS LINE, M.AREA AS AREA,
         S.SEQ AS SEQ, S.STATE AS STATE,
         ELT(S.STATE + 1, 'IDLE', 'RUNNING', 'SETUP', 'FAULT') AS STATE_NAME,
         S.STOP_REASON AS STOP_REASON,
         ELT(S.STOP_REASON + 1, 'NONE', 'PLANNED', 'STARVED', 'BLOCKED', 'MINOR_STOP', 'CHANGEOVER', 'MATERIAL',
             'BREAKDOWN', 'JAM', 'BEARING_TRIP', 'OVERTEMPERATURE') AS STOP_REASON_NAME,
         S.GOOD_COUNT AS GOOD_COUNT, S.REJECT_COUNT AS REJECT_COUNT,
         COALESCE(S.IDEAL_CYCLE_S, M.IDEAL_CYCLE_S) AS IDEAL_CYCLE_S,
         M.WATCH_SIGNAL AS WATCH_SIGNAL, S.WATCH_VALUE AS WATCH_VALUE, M.WATCH_UNIT AS WATCH_UNIT,
         M.WATCH_LOW AS WATCH_LOW, M.WATCH_HIGH AS WATCH_HIGH, S.BAD_TAGS AS BAD_TAGS,
         CONCAT(FORMAT_TIMESTAMP(FROM_UNIXTIME(S.TS - ((S.TS - 21600000) % 28800000)), 'yyyy-MM-dd'), ' ',
                ELT(CAST(((S.TS - ((S.TS - 21600000) % 28800000)) % 86400000) / 28800000 AS INTEGER) + 1,
                    'EARLY', 'LATE', 'NIGHT')) AS SHIFT,
         S.TS AS TS
  FROM MACHINE_STATUS S LEFT JOIN MACHINES M ON S.MACHINE_ID = M.MACHINE_ID EMIT CHANGES;

---------------------------------------------------------------------------------------------------------------------
-- 1-minute statistics per machine, updated with every sample (pull-query it: SELECT * FROM MACHINE_STATS_1M WHERE
-- MACHINE_ID = 'press';). RUNNING_PCT is the share of samples in RUNNING; LOST_SAMPLES the samples the connector
-- read as BAD.
---------------------------------------------------------------------------------------------------------------------
CREATE TABLE MACHINE_STATS_1M AS
  SELECT MACHINE_ID, LATEST_BY_OFFSET(NAME) AS NAME, COUNT(*) AS SAMPLES,
         100 * CAST(SUM(CASE WHEN STATE = 1 THEN 1 ELSE 0 END) AS DOUBLE) / COUNT(*) AS RUNNING_PCT,
         LATEST_BY_OFFSET(STATE_NAME) AS LAST_STATE, LATEST_BY_OFFSET(STOP_REASON_NAME) AS LAST_STOP_REASON,
         LATEST_BY_OFFSET(WATCH_SIGNAL) AS SIGNAL, MIN(WATCH_VALUE) AS SIGNAL_MIN, AVG(WATCH_VALUE) AS SIGNAL_AVG,
         MAX(WATCH_VALUE) AS SIGNAL_MAX, LATEST_BY_OFFSET(WATCH_VALUE) AS SIGNAL_LAST,
         SUM(CASE WHEN BAD_TAGS > 0 THEN 1 ELSE 0 END) AS LOST_SAMPLES
  FROM MACHINE_STATUS_ENRICHED WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY MACHINE_ID EMIT CHANGES;

---------------------------------------------------------------------------------------------------------------------
-- Limit alerts: a machine's watched signal outside its limits within a minute (conveyor vibration, press oil
-- temperature, sealing temperature out of band, low compressed air, …). A row appears as soon as a sample crosses
-- the limit; the limits come from MACHINES, so changing one is an INSERT, not a new query.
---------------------------------------------------------------------------------------------------------------------
CREATE TABLE LIMIT_ALERTS AS
  SELECT MACHINE_ID, LATEST_BY_OFFSET(NAME) AS NAME, LATEST_BY_OFFSET(WATCH_SIGNAL) AS SIGNAL,
         LATEST_BY_OFFSET(WATCH_UNIT) AS UNIT, MIN(WATCH_VALUE) AS LOWEST, MAX(WATCH_VALUE) AS HIGHEST,
         LATEST_BY_OFFSET(WATCH_LOW) AS LOW_LIMIT, LATEST_BY_OFFSET(WATCH_HIGH) AS HIGH_LIMIT,
         SUM(CASE WHEN WATCH_VALUE > WATCH_HIGH OR WATCH_VALUE < WATCH_LOW THEN 1 ELSE 0 END) AS SAMPLES_OUTSIDE
  FROM MACHINE_STATUS_ENRICHED WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY MACHINE_ID
  HAVING MAX(WATCH_VALUE) > LATEST_BY_OFFSET(WATCH_HIGH) OR MIN(WATCH_VALUE) < LATEST_BY_OFFSET(WATCH_LOW)
  EMIT CHANGES;

-- Acknowledgements of limit alerts, from the web UI's Alerts page or from anyone with an INSERT: a stream in Kafka, so
-- every browser sees them and they outlive restarts. ALERT_ID names a LIMIT_ALERTS row as `<MACHINE_ID>@<WINDOWSTART>`
-- (WINDOW_START repeats its window start: WINDOWSTART itself is a reserved column name).
CREATE STREAM ALERT_ACKS (
  ALERT_ID STRING KEY,
  MACHINE_ID STRING,
  WINDOW_START BIGINT,
  ACKED_BY STRING,
  NOTE STRING
) WITH (KAFKA_TOPIC='plant.alert.acks', PARTITIONS=1, VALUE_FORMAT='JSON');

---------------------------------------------------------------------------------------------------------------------
-- Stale machines: in a closed minute, the machine's last good answer was more than 10 s before the minute's end (its
-- PLC stopped answering, or the connector stopped reading it), or its sequence number did not move (a PLC that answers
-- with frozen values). EMIT FINAL: judged once the minute is over, when the other machines' samples have moved
-- stream time past it. A machine that sent nothing at all in a minute has no row for that minute: look for it missing
-- from MACHINE_STATS_1M.
---------------------------------------------------------------------------------------------------------------------
CREATE TABLE STALE_MACHINES AS
  SELECT MACHINE_ID, COUNT(*) AS SAMPLES,
         WINDOWEND - COALESCE(LATEST_BY_OFFSET(CASE WHEN BAD_TAGS = 0 THEN TS END), WINDOWSTART) AS SILENT_MS,
         MAX(SEQ) - MIN(SEQ) AS TICKS
  FROM MACHINE_STATUS WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY MACHINE_ID
  HAVING WINDOWEND - COALESCE(LATEST_BY_OFFSET(CASE WHEN BAD_TAGS = 0 THEN TS END), WINDOWSTART) > 10000
      OR MAX(SEQ) = MIN(SEQ)
  EMIT FINAL;

---------------------------------------------------------------------------------------------------------------------
-- OEE, in two steps. First each machine's closed minutes (EMIT FINAL: one row per machine, shift and minute), with
-- plant time from the sequence number (one tick is 100 ms of plant time, whatever `--speed` is) and counter
-- differences within the minute (clamped at 0: the simulator starts its counters from 0 when it restarts):
--   PLANNED_S  plant seconds of working time (not stopped for PLANNED: outside shifts, breaks)
--   RUN_S      plant seconds RUNNING
--   GOOD, TOTAL   units made, good and all; IDEAL_S their rated time (ideal cycle × units)
-- MACHINE and SHIFT_NAME repeat the key in the value, for the stream below.
---------------------------------------------------------------------------------------------------------------------
CREATE TABLE OEE_MINUTES WITH (KAFKA_TOPIC='plant.oee.minutes', KEY_FORMAT='JSON') AS
  SELECT MACHINE_ID, SHIFT, AS_VALUE(MACHINE_ID) AS MACHINE, AS_VALUE(SHIFT) AS SHIFT_NAME, COUNT(*) AS SAMPLES,
         CAST(GREATEST(LATEST_BY_OFFSET(SEQ) - EARLIEST_BY_OFFSET(SEQ), 0) AS DOUBLE) / 10
           * SUM(CASE WHEN STOP_REASON <> 1 THEN 1 ELSE 0 END) / COUNT(*) AS PLANNED_S,
         CAST(GREATEST(LATEST_BY_OFFSET(SEQ) - EARLIEST_BY_OFFSET(SEQ), 0) AS DOUBLE) / 10
           * SUM(CASE WHEN STATE = 1 THEN 1 ELSE 0 END) / COUNT(*) AS RUN_S,
         GREATEST(LATEST_BY_OFFSET(GOOD_COUNT) - EARLIEST_BY_OFFSET(GOOD_COUNT), 0) AS GOOD,
         GREATEST(LATEST_BY_OFFSET(GOOD_COUNT) + LATEST_BY_OFFSET(REJECT_COUNT)
                  - EARLIEST_BY_OFFSET(GOOD_COUNT) - EARLIEST_BY_OFFSET(REJECT_COUNT), 0) AS TOTAL,
         LATEST_BY_OFFSET(IDEAL_CYCLE_S)
           * GREATEST(LATEST_BY_OFFSET(GOOD_COUNT) + LATEST_BY_OFFSET(REJECT_COUNT)
                      - EARLIEST_BY_OFFSET(GOOD_COUNT) - EARLIEST_BY_OFFSET(REJECT_COUNT), 0) AS IDEAL_S
  FROM MACHINE_STATUS_ENRICHED WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY MACHINE_ID, SHIFT EMIT FINAL;

-- The closed minutes read back as a stream, each minute once, so that summing them per shift counts it once. The
-- engine cannot GROUP BY over a windowed source yet, so the stream leaves the windowed key aside and reads the key's
-- copies from the value.
CREATE STREAM OEE_MINUTE_ROWS (
  MACHINE STRING,
  SHIFT_NAME STRING,
  SAMPLES BIGINT,
  PLANNED_S DOUBLE,
  RUN_S DOUBLE,
  GOOD BIGINT,
  TOTAL BIGINT,
  IDEAL_S DOUBLE
) WITH (KAFKA_TOPIC='plant.oee.minutes', VALUE_FORMAT='JSON');

-- OEE per machine and shift = availability × performance × quality:
--   availability = run time / planned time; performance = rated time of the units made / run time;
--   quality = good units / all units. NULL where the machine has no counters (conveyor, meter, environment node).
-- Over a minute or two performance can read a little above 1: a unit's count lands whole in the minute it finished.
CREATE TABLE OEE_BY_SHIFT WITH (KAFKA_TOPIC='plant.oee.shifts', KEY_FORMAT='JSON') AS
  SELECT MACHINE AS MACHINE_ID, SHIFT_NAME AS SHIFT, COUNT(*) AS MINUTES, SUM(PLANNED_S) AS PLANNED_S,
         SUM(RUN_S) AS RUN_S, SUM(GOOD) AS GOOD, SUM(TOTAL) AS TOTAL,
         CASE WHEN SUM(PLANNED_S) > 0 THEN SUM(RUN_S) / SUM(PLANNED_S) END AS AVAILABILITY,
         CASE WHEN SUM(RUN_S) > 0 AND COUNT(IDEAL_S) > 0 THEN SUM(IDEAL_S) / SUM(RUN_S) END AS PERFORMANCE,
         CASE WHEN SUM(TOTAL) > 0 THEN CAST(SUM(GOOD) AS DOUBLE) / SUM(TOTAL) END AS QUALITY,
         CASE WHEN SUM(PLANNED_S) > 0 AND SUM(TOTAL) > 0
              THEN SUM(IDEAL_S) / SUM(PLANNED_S) * CAST(SUM(GOOD) AS DOUBLE) / SUM(TOTAL) END AS OEE
  FROM OEE_MINUTE_ROWS
  GROUP BY MACHINE, SHIFT_NAME EMIT CHANGES;

-- Shaped like the IoT recipes: sensor readings enriched with per-device thresholds, then alerts and rolling counts.
CREATE STREAM sensor_readings (device_id VARCHAR KEY, area VARCHAR, reading DOUBLE, unit STRING, taken_at TIMESTAMP)
  WITH (KAFKA_TOPIC = 'sensor-readings', VALUE_FORMAT = 'AVRO', PARTITIONS = 6, TIMESTAMP = 'taken_at');
CREATE TABLE device_limits (device_id VARCHAR PRIMARY KEY, low_limit DOUBLE, high_limit DOUBLE)
  WITH (KAFKA_TOPIC = 'device-limits', VALUE_FORMAT = 'AVRO', PARTITIONS = 6);
CREATE STREAM out_of_range WITH (KAFKA_TOPIC = 'alerts.out-of-range') AS
  SELECT r.device_id AS device_id, r.area, r.reading, l.low_limit, l.high_limit,
         CASE WHEN r.reading < l.low_limit THEN 'LOW' WHEN r.reading > l.high_limit THEN 'HIGH' ELSE 'OK' END AS verdict
  FROM sensor_readings r
  LEFT JOIN device_limits l ON r.device_id = l.device_id
  WHERE r.reading NOT BETWEEN l.low_limit AND l.high_limit
  EMIT CHANGES;
CREATE TABLE alerts_per_area AS
  SELECT area, COUNT(*) AS alerts, COLLECT_SET(device_id) AS devices
  FROM out_of_range
  WINDOW HOPPING (SIZE 10 MINUTES, ADVANCE BY 1 MINUTE, RETENTION 7 DAYS, GRACE PERIOD 30 SECONDS)
  GROUP BY area
  HAVING COUNT(*) >= 3
  EMIT FINAL;

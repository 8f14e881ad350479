/* Shaped like the predictive-maintenance recipes: joint temperatures as arrays, lambdas, sessions and
   a stream-stream join between alarms and the cycle that followed them. */
CREATE STREAM robot_cycles (cell STRING KEY, program STRING, cycle_s DOUBLE, joint_temps ARRAY<DOUBLE>)
  WITH (KAFKA_TOPIC='plant.robot.cycles', VALUE_FORMAT='JSON');
CREATE STREAM robot_alarms (cell STRING KEY, code INT, text STRING)
  WITH (KAFKA_TOPIC='plant.robot.alarms', VALUE_FORMAT='JSON');
CREATE STREAM hot_joints AS
  SELECT cell,
         FILTER(joint_temps, t => t > 70.0) AS hot,
         TRANSFORM(joint_temps, t => ROUND(t * 9 / 5 + 32, 1)) AS joint_temps_f,
         REDUCE(joint_temps, 0E0, (acc, t) => GREATEST(acc, t)) AS hottest,
         joint_temps[1] AS base_joint, joint_temps[-1] AS wrist
  FROM robot_cycles
  WHERE ARRAY_MAX(joint_temps) > 70.0 AND program LIKE 'PICK\_%' ESCAPE '\'
  EMIT CHANGES;
CREATE TABLE cell_sessions AS
  SELECT cell, COUNT(*) AS cycles, AVG(cycle_s) AS avg_cycle_s, WINDOWSTART AS started, WINDOWEND AS ended
  FROM robot_cycles WINDOW SESSION (5 MINUTES, RETENTION 2 DAYS, GRACE PERIOD 1 MINUTE)
  GROUP BY cell EMIT CHANGES;
CREATE STREAM alarm_then_cycle AS
  SELECT a.cell AS cell, a.code, c.cycle_s, c.ROWTIME - a.ROWTIME AS delay_ms
  FROM robot_alarms a
  INNER JOIN robot_cycles c WITHIN (0 SECONDS, 10 MINUTES) GRACE PERIOD 15 SECONDS ON a.cell = c.cell
  EMIT CHANGES;

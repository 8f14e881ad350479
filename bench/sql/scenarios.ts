// The three queries bench/sql measures, as KSQL a ksqlDB user would write them, over the preloaded stream and table.

/** Which query: (a) filter + project, (b) windowed aggregation, (c) stream-table join. */
export type ScenarioId = "a" | "b" | "c";

export interface Scenario {
  readonly id: ScenarioId;
  readonly title: string;
  /** The raw ceiling's fraction this query should reach (issue 5 item 9). */
  readonly goal: number;
  /** The sink the query creates. */
  readonly sink: string;
  /** CREATE … AS SELECT, run after `SET 'auto.offset.reset'='earliest'`. */
  readonly sql: string;
}

/** The stream of readings (records.ts), over `topic`. */
export function streamSql(topic: string): string {
  return (
    "CREATE STREAM SENSORS (ID STRING KEY, SITE STRING, LINE STRING, KIND STRING, UNIT STRING, TEMP DOUBLE, " +
    "PRESSURE DOUBLE, VIBRATION DOUBLE, RPM INT, STATUS STRING, QUALITY STRING, SEQ BIGINT, SENT BIGINT) " +
    `WITH (KAFKA_TOPIC='${topic}', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`
  );
}

/** The sensor table (records.ts's sensorInfo), over `topic`. */
export function tableSql(topic: string): string {
  return (
    "CREATE TABLE SENSOR_INFO (ID STRING PRIMARY KEY, MACHINE STRING, AREA STRING, LIMIT_HI DOUBLE, VENDOR STRING) " +
    `WITH (KAFKA_TOPIC='${topic}', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');`
  );
}

/** The sink topics are named after the run, so that runs against one cluster never meet. */
export function scenario(id: ScenarioId, sinkTopic: string): Scenario {
  const topic = `KAFKA_TOPIC='${sinkTopic}'`;
  switch (id) {
    case "a":
      return {
        id,
        title: "(a) filter + project (CSAS)",
        goal: 0.8,
        sink: "HOT_READINGS",
        // records.ts's passesFilter is this WHERE clause: the sink must hold exactly the readings it passes.
        sql:
          `CREATE STREAM HOT_READINGS WITH (${topic}) AS SELECT ID, LINE, TEMP, PRESSURE, VIBRATION, SENT ` +
          "FROM SENSORS WHERE STATUS = 'RUNNING' AND TEMP > 50 EMIT CHANGES;",
      };
    case "b":
      return {
        id,
        title: "(b) 1-minute tumbling COUNT/AVG/MIN/MAX by key (CTAS)",
        goal: 0.5,
        sink: "SENSOR_STATS",
        sql:
          `CREATE TABLE SENSOR_STATS WITH (${topic}) AS SELECT ID, COUNT(*) AS N, AVG(TEMP) AS AVG_TEMP, ` +
          "MIN(TEMP) AS MIN_TEMP, MAX(TEMP) AS MAX_TEMP FROM SENSORS WINDOW TUMBLING (SIZE 1 MINUTE) " +
          "GROUP BY ID EMIT CHANGES;",
      };
    case "c":
      return {
        id,
        title: "(c) stream-table join, 10,000-row table (CSAS)",
        goal: 0.5,
        sink: "ENRICHED_READINGS",
        sql:
          `CREATE STREAM ENRICHED_READINGS WITH (${topic}) AS SELECT S.ID AS ID, S.TEMP AS TEMP, S.SENT AS SENT, ` +
          "I.MACHINE AS MACHINE, I.AREA AS AREA, I.LIMIT_HI AS LIMIT_HI " +
          "FROM SENSORS S JOIN SENSOR_INFO I ON S.ID = I.ID EMIT CHANGES;",
      };
  }
}

export const SCENARIOS: readonly ScenarioId[] = ["a", "b", "c"];

/** The statements every engine runs first: the stream, and for the join the table. */
export function setupSql(id: ScenarioId, streamTopic: string, tableTopic: string): string {
  return id === "c" ? `${streamSql(streamTopic)}\n${tableSql(tableTopic)}` : streamSql(streamTopic);
}

/** How the query is issued: the offset reset in the same request, as a ksqlDB user does in the CLI. */
export function querySql(s: Scenario): string {
  return `SET 'auto.offset.reset'='earliest';\n${s.sql}`;
}

// `fabrik demo` as a user runs it, on the test broker: ready with every machine's records in Kafka and in the SQL
// pipeline's results, a second run that only applies what is missing, and Ctrl-C that leaves no port behind.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, type TestContext, test } from "node:test";
import { readPipelineScript } from "../../src/demo/pipeline-script.ts";
import { createConsumer, stringDeserializers } from "../../src/kafka/index.ts";
import { SseReader } from "../server/fixture.ts";
import { FABRIK_MAIN, fabrikEnv } from "../support/cli.ts";
import { whenEvent } from "../support/events.ts";
import { eventually, testKafka, uniqueTopic } from "../support/kafka.ts";

const kafka = testKafka();
const scratch = await mkdtemp(join(tmpdir(), "fabrik-demo-"));
after(() => rm(scratch, { recursive: true, force: true }));

const MACHINES = ["conveyor", "energy", "environment", "packer", "palletizer", "press", "robot"];
const pipeline = readPipelineScript(
  readFileSync(new URL("../../examples/demo-plant/pipeline.sql", import.meta.url), "utf8"),
  "pipeline.sql",
).steps;
const STATEMENTS = pipeline.filter((s) => s.kind !== "set").length;
/** Streams, tables and INSERT queries: what a second run finds in the engine. */
const KEPT = pipeline.filter((s) => s.kind === "create" || s.kind === "insert-query").length;
const PERSISTENT_QUERIES = pipeline.filter(
  (s) => (s.kind === "create" && s.asSelect) || s.kind === "insert-query",
).length;
const TABLE_ROWS = pipeline.filter((s) => s.kind === "insert-values" && s.target === "MACHINES").length;

interface DemoProcess {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly err: () => string;
  readonly sqlUrl: string;
  readonly connectUrl: string;
  readonly uiUrl: string;
  readonly ports: readonly number[];
  /** Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

/** Runs `fabrik demo` on free ports against the test broker; resolves once it prints its ready block. */
async function startDemo(t: TestContext, ...args: string[]): Promise<DemoProcess> {
  const ports = ["--modbus-port", "0", "--s7-port", "0", "--connect-port", "0", "--sql-port", "0", "--ui-port", "0"];
  const child = spawn(
    process.execPath,
    [FABRIK_MAIN, "demo", "--bootstrap", kafka.bootstrapServers.join(","), ...ports, ...args],
    { env: fabrikEnv({ FABRIK_STATE_DIR: scratch }), stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    err += chunk.toString("utf8");
  });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  });
  const ready = whenEvent(
    "fabrik demo to say it is ready",
    [child.stdout!],
    "data",
    // The ready block ends with the UI's address: all of it has arrived once that line has.
    () => out.includes("Fabrik demo is ready.") && /Open the web UI: \S+\n/.test(out),
    50_000,
  );
  const died = exited.then(([code]) => {
    throw new Error(`fabrik demo exited (${code}) before it was ready:\n${out}\n${err}`);
  });
  await Promise.race([ready, died]);
  died.catch(() => {});
  const url = (label: string) => new RegExp(`${label} +(http://127\\.0\\.0\\.1:(\\d+))`).exec(out)!;
  const sql = url("SQL API");
  const connect = url("Connector API");
  const modbus = /modbus-tcp:\/\/127\.0\.0\.1:(\d+)/.exec(out)!;
  const s7 = /s7:\/\/127\.0\.0\.1:(\d+)/.exec(out)!;
  const ui = /Open the web UI: (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(out)!;
  return {
    child,
    out: () => out,
    err: () => err,
    sqlUrl: sql[1]!,
    connectUrl: connect[1]!,
    uiUrl: ui[1]!,
    ports: [Number(sql[2]), Number(connect[2]), Number(modbus[1]), Number(s7[1]), Number(ui[2])],
    interrupt: async () => {
      child.kill("SIGINT");
      const [code] = await exited;
      return code;
    },
  };
}

/** POST /ksql; the answer's entities. */
async function ksql<T>(sqlUrl: string, statements: string): Promise<T> {
  const response = await fetch(`${sqlUrl}/ksql`, { method: "POST", body: JSON.stringify({ ksql: statements }) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as T;
}

/** A pull query over /query-stream: the rows as objects keyed by column name. */
async function pull(sqlUrl: string, sql: string): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${sqlUrl}/query-stream`, {
    method: "POST",
    headers: { accept: "application/json" },
    body: JSON.stringify({ sql }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const [header, ...rows] = (await response.json()) as [{ columnNames: string[] }, ...unknown[][]];
  return rows.map((row) => Object.fromEntries(header.columnNames.map((name, i) => [name, row[i]])));
}

/**
 * A push query over /query-stream, read as its rows arrive until `enough` holds of the rows so far; the request is
 * then aborted, which ends the query.
 */
async function pushUntil(sqlUrl: string, sql: string, enough: (rows: unknown[][]) => boolean): Promise<unknown[][]> {
  const abort = new AbortController();
  const response = await fetch(`${sqlUrl}/query-stream`, {
    method: "POST",
    body: JSON.stringify({ sql, properties: { "auto.offset.reset": "earliest" } }),
    signal: abort.signal,
  });
  assert.equal(response.status, 200);
  const rows: unknown[][] = [];
  let buffered = "";
  let header = true;
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
        if (line === "") continue;
        if (header) header = false;
        else rows.push(JSON.parse(line) as unknown[]);
      }
      if (enough(rows)) return rows;
    }
  } finally {
    abort.abort();
  }
  throw new Error(`the push query ended before it had what was wanted: ${JSON.stringify(rows)}`);
}

/** Whether something still listens on `port` (a port left behind): true when binding it fails. */
function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(true));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(false)));
  });
}

interface Queries {
  queries: { id: string; state: string; queryType: string }[];
}

test("fabrik demo: the plant's records reach Kafka and the pipeline; a second run adds nothing; Ctrl-C frees every port", async (t) => {
  // --fresh: the cluster may hold an earlier run's demo (a persistent KAFKA_BOOTSTRAP_SERVERS).
  const first = await startDemo(t, "--fresh");
  const steps = first
    .out()
    .split("\n")
    .filter((l) => l.startsWith("fabrik demo: "));
  assert.deepEqual(
    steps.map((l) => l.slice("fabrik demo: ".length).split(":")[0]),
    ["Kafka", "fresh start", "simulator", "connector", "SQL engine", "web UI", "pipeline"],
  );
  assert.match(steps[6]!, new RegExp(`pipeline: .*pipeline\\.sql: ${STATEMENTS} statements applied$`));

  // Every machine's job records in its plant topic, keyed as PLC4X keys them.
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("demo"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  const stream = await consumer.consume({ topics: MACHINES.map((m) => `plant.${m}`), mode: "earliest" });
  const seen = new Map<string, { key: string; value: string }>();
  stream.on("data", (message: { topic: string; key: string; value: string }) => {
    seen.set(message.topic, message);
  });
  await whenEvent("a record in every plant topic", [stream], "data", () => seen.size === MACHINES.length);
  for (const machine of MACHINES) {
    const record = seen.get(`plant.${machine}`)!;
    assert.deepEqual(JSON.parse(record.key), { sourceName: machine, jobName: "status" });
    const value = JSON.parse(record.value) as { tags: { sequence: number; state: number }; quality: object };
    assert.equal(typeof value.tags.sequence, "number", machine);
    assert.ok([0, 1, 2, 3].includes(value.tags.state), `${machine}'s state word`);
  }
  await stream.close();

  // Flattened, merged and enriched: a push query sees every machine with its name from the metadata table.
  const rows = await pushUntil(
    first.sqlUrl,
    "SELECT MACHINE_ID, NAME, STATE_NAME, SHIFT FROM MACHINE_STATUS_ENRICHED EMIT CHANGES;",
    (sofar) => new Set(sofar.map((r) => r[0])).size === MACHINES.length,
  );
  const press = rows.find((r) => r[0] === "press")!;
  assert.equal(press[1], "Press P1");
  assert.ok(["IDLE", "RUNNING", "SETUP", "FAULT"].includes(String(press[2])), String(press[2]));
  assert.match(String(press[3]), /^\d{4}-\d\d-\d\d (EARLY|LATE|NIGHT)$/);

  // The 1-minute stats answer a pull query for every machine (the table catches up with the stream just read).
  const stats = await eventually("1-minute stats for every machine", async () => {
    const found = await pull(first.sqlUrl, "SELECT MACHINE_ID, SAMPLES, SIGNAL FROM MACHINE_STATS_1M;");
    return new Set(found.map((r) => r.MACHINE_ID)).size === MACHINES.length ? found : undefined;
  });
  assert.ok(stats.every((r) => Number(r.SAMPLES) > 0));
  assert.equal(stats.find((r) => r.MACHINE_ID === "conveyor")!.SIGNAL, "vibration");

  // The web UI's server: its address printed once, last; its info, and the live feed with the press's samples.
  assert.equal(first.out().split(first.uiUrl).length, 2, "the UI's address is printed once");
  const info = (await (await fetch(`${first.uiUrl}/api/info`)).json()) as Record<string, unknown>;
  assert.deepEqual(
    { auth: info.auth, connect: info.connect, sql: info.sql, alerts: info.alerts },
    { auth: "none", connect: true, sql: true, alerts: { table: "LIMIT_ALERTS", acks: "ALERT_ACKS" } },
  );
  const live = new SseReader(`${first.uiUrl}/api/live`);
  try {
    const plant = await live.next("plant", (data) => (data as { sources: unknown[] }).sources.length > 0);
    const sources = (plant.data as { sources: { source: string }[] }).sources.map((s) => s.source);
    assert.deepEqual([...sources].sort(), MACHINES);
    const samples = await live.next("samples", (data) =>
      (data as { samples: { source: string; tags: Record<string, unknown> }[] }).samples.some(
        (s) => s.source === "press" && typeof s.tags.pressure === "number",
      ),
    );
    assert.ok(samples);
  } finally {
    live.close();
  }

  const before = await ksql<[Queries]>(first.sqlUrl, "SHOW QUERIES;");
  const ids = before[0].queries.filter((q) => q.queryType === "PERSISTENT").map((q) => q.id);
  assert.equal(ids.length, PERSISTENT_QUERIES);

  assert.equal(await first.interrupt(), 0);
  assert.match(
    first.err(),
    /stopping the web UI…\n.*stopping the SQL engine…\n.*stopping the connector…\n.*stopping the simulator…\n.*stopped\.\n$/s,
  );
  for (const port of first.ports) assert.equal(await portTaken(port), false, `port ${port} is free`);

  // Same cluster, same service id: the pipeline is in the command topic already, and nothing runs twice.
  const second = await startDemo(t);
  assert.ok(
    second
      .out()
      .includes(
        `pipeline.sql: ${KEPT} streams, tables and queries already in service demo-plant, kept; ${TABLE_ROWS} table rows written again\n`,
      ),
    second.out(),
  );
  const listed = await ksql<[Queries]>(second.sqlUrl, "SHOW QUERIES;");
  const again = listed[0].queries.filter((q) => q.queryType === "PERSISTENT");
  assert.deepEqual(again.map((q) => q.id).sort(), [...ids].sort());
  const status = await fetch(`${second.connectUrl}/connectors/demo-plant/status`);
  assert.equal(((await status.json()) as { connector: { state: string } }).connector.state, "RUNNING");

  assert.equal(await second.interrupt(), 0);
  assert.doesNotMatch(second.err(), /ERROR|WARN/, "a second run comes up without errors");
  for (const port of second.ports) assert.equal(await portTaken(port), false, `port ${port} is free`);
});

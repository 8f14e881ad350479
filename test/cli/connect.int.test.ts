// `fabrik connect` as a user runs it, against the simulator and the test broker: a file run with Kafka Connect's REST
// API, a run SIGKILLed and restarted, and two workers of a group with one of them killed.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { decodeJson } from "../../src/connect/records/index.ts";
import { createConsumer, type KafkaConfig, stringDeserializers } from "../../src/kafka/index.ts";
import {
  assertEachSampleOnce,
  createTopic,
  readSamples,
  type SequenceSample,
  startPlant,
} from "../connect/source/fixture.ts";
import { eventually, testKafka, uniqueTopic } from "../support/kafka.ts";
import { getJson, startConnect } from "./connect-process.ts";

interface TaskStatus {
  id: number;
  state: string;
  worker_id: string;
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "fabrik-connect-cli-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A connector with `count` sources reading the simulator's sequence register every 100 ms into `topic`. */
function sequenceSources(port: number, topic: string, count: number): Record<string, unknown> {
  const sources: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    sources[`cell${i}`] = {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`,
      jobs: [{ name: "seq", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
    };
  }
  return sources;
}

/** Follows `topic` (read_committed) and keeps each source's samples in arrival order. */
async function follow(t: TestContext, kafka: KafkaConfig, topic: string) {
  const consumer = createConsumer(kafka, {
    groupId: uniqueTopic("group"),
    deserializers: stringDeserializers,
    isolationLevel: 1,
  });
  t.after(() => consumer.close(true));
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  const bySource = new Map<string, SequenceSample[]>();
  stream.on("data", (message: { key: string; value: string; timestamp: bigint }) => {
    const source = (JSON.parse(message.key) as { sourceName: string }).sourceName;
    const value = decodeJson(message.value) as { tags: { sequence: number | null } };
    if (typeof value.tags.sequence !== "number") return;
    const list = bySource.get(source) ?? [];
    list.push({ sequence: value.tags.sequence, timestamp: Number(message.timestamp) });
    bySource.set(source, list);
  });
  return bySource;
}

test("fabrik connect run: the file's connector runs, Kafka Connect's REST calls answer, Ctrl-C stops it cleanly", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-cli");
  const { sim, port } = await startPlant(21);
  t.after(() => sim.stop());
  const dir = await tempDir(t);
  // The file in a folder of its own, run from its parent: its buffer belongs next to the file.
  await mkdir(join(dir, "conf"));
  const config = { name: "line", sources: sequenceSources(port, topic, 1) };
  await writeFile(join(dir, "conf", "line.json"), JSON.stringify(config));
  const samples = await follow(t, kafka, topic);
  const connect = await startConnect(t, kafka, ["run", "conf/line.json"], dir);

  assert.deepEqual(await getJson(connect.url, "/connectors"), ["line"]);
  const root = await getJson<{ version: string; kafka_cluster_id: string }>(connect.url, "/");
  assert.ok(root.kafka_cluster_id.length > 0);
  const status = await eventually("the task to run", async () => {
    const s = await getJson<{ connector: { state: string }; tasks: TaskStatus[] }>(
      connect.url,
      "/connectors/line/status",
    );
    return s.tasks[0]?.state === "RUNNING" ? s : undefined;
  });
  assert.equal(status.connector.state, "RUNNING");
  const plugins = await getJson<{ class: string }[]>(connect.url, "/connector-plugins");
  assert.ok(plugins.some((p) => p.class === "org.apache.plc4x.kafka.Plc4xSourceConnector"));
  await eventually("records in Kafka", () => (samples.get("cell0")?.length ?? 0) >= 5);

  assert.equal(await connect.interrupt(), 0, connect.output());
  assert.match(connect.output(), /stopping: sources write what they sampled to their buffers/);
  assert.ok(existsSync(join(dir, "conf", ".fabrik", "buffer", "line", "cell0")), "the buffer is next to the file");
  assert.ok(!existsSync(join(dir, ".fabrik")), "not in the directory fabrik was started from");
  assertEachSampleOnce((await readSamples(kafka, topic, "cell0")).samples);
});

test("two workers of a group share the sources; when one is SIGKILLed the other runs them all, no sample twice", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-group-kill");
  const { sim, port } = await startPlant(22);
  t.after(() => sim.stop());
  const dir = await tempDir(t);
  const group = uniqueTopic("workers");
  const samples = await follow(t, kafka, topic);
  const workerArgs = (id: string) => ["worker", "--group", group, "--worker-id", id, "--session-timeout", "6s"];
  const first = await startConnect(t, kafka, workerArgs("w1"), dir);
  const second = await startConnect(t, kafka, workerArgs("w2"), dir);

  const created = await fetch(`${second.url}/connectors`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "cells", config: { sources: sequenceSources(port, topic, 4) } }),
  });
  assert.equal(created.status, 201, await created.text());
  const tasks = async () =>
    (await getJson<{ tasks: TaskStatus[] }>(first.url, "/connectors/cells/status")).tasks.map(
      (s) => `${s.state}@${s.worker_id}`,
    );
  const spread = await eventually("four tasks running on both workers", async () => {
    const states = await tasks();
    return states.length === 4 && states.every((s) => s.startsWith("RUNNING")) && new Set(states).size === 2
      ? states
      : undefined;
  });
  const onSecond = spread.flatMap((s, i) => (s === "RUNNING@w2" ? [`cell${i}`] : []));
  await eventually("records from every source", () =>
    [0, 1, 2, 3].every((i) => (samples.get(`cell${i}`)?.length ?? 0) > 3),
  );

  await second.kill();
  const counts = new Map(onSecond.map((source) => [source, samples.get(source)?.length ?? 0]));
  await eventually("every task on w1", async () => (await tasks()).every((s) => s === "RUNNING@w1"), 30_000);
  await eventually("the killed worker's sources sampled again on w1", () =>
    onSecond.every((source) => (samples.get(source)?.length ?? 0) > (counts.get(source) ?? 0) + 3),
  );
  assert.equal(await first.interrupt(), 0, first.output());
  // Read again from the log, deciding each transaction by its markers: a worker killed mid-transaction leaves records
  // Kafka aborts when the other takes over, and the client library's own read_committed filter can miss some.
  for (let i = 0; i < 4; i++) {
    const { samples: committed, stats } = await readSamples(kafka, topic, `cell${i}`);
    assert.ok(
      committed.length > 3,
      `cell${i}: samples delivered: ${committed.length} committed (${JSON.stringify(stats)}), ${samples.get(`cell${i}`)?.length} seen live`,
    );
    assertEachSampleOnce(committed);
  }
});

test("fabrik connect run SIGKILLed and run again: the buffer on disk replays, and no sample reaches Kafka twice", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-cli-kill");
  const { sim, port } = await startPlant(23);
  t.after(() => sim.stop());
  const dir = await tempDir(t);
  await writeFile(join(dir, "line.json"), JSON.stringify({ name: "line", sources: sequenceSources(port, topic, 1) }));
  const samples = await follow(t, kafka, topic);
  const first = await startConnect(t, kafka, ["run", "line.json"], dir);
  await eventually("records from the first run", () => (samples.get("cell0")?.length ?? 0) >= 10);
  await first.kill();
  const killedAt = Date.now();

  const second = await startConnect(t, kafka, ["run", "line.json"], dir);
  await eventually("records from the second run", () =>
    (samples.get("cell0") ?? []).some((sample) => sample.timestamp > killedAt + 500),
  );
  assert.equal(await second.interrupt(), 0, second.output());
  const { samples: committed } = await readSamples(kafka, topic, "cell0");
  assert.ok(committed.some((sample) => sample.timestamp < killedAt));
  assertEachSampleOnce(committed);
});

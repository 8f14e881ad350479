// One worker of a group: connectors created through the service run, report their states, pause, resume and go.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { decodeJson } from "../../../src/connect/records/index.ts";
import { ConnectServiceError } from "../../../src/connect/service.ts";
import { createConsumer, createProducer, stringDeserializers } from "../../../src/kafka/index.ts";
import { eventually, testKafka, uniqueTopic } from "../../support/kafka.ts";
import { freePort } from "../../support/ports.ts";
import { createTopic, startPlant } from "../source/fixture.ts";
import { startWorker, uniqueGroup } from "./fixture.ts";

test("a connector created through the service runs on the worker, reports RUNNING, pauses, resumes and is deleted", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-worker");
  const { sim, port } = await startPlant(11);
  t.after(() => sim.stop());
  const { worker, service } = await startWorker(t, kafka, uniqueGroup(), "w1");
  const config = {
    sources: {
      conveyor: {
        url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`,
        jobs: [{ name: "status", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
      },
    },
  };
  const info = await service.create("line", config);
  assert.deepEqual(info.tasks, [{ connector: "line", task: 0 }]);
  await assert.rejects(
    service.create("line", config),
    (e: unknown) => e instanceof ConnectServiceError && e.status === 409,
  );

  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
  for await (const message of stream) {
    const value = decodeJson(message.value) as { tags: { sequence: number } };
    if (typeof value.tags.sequence === "number") break;
  }
  await worker.settled();
  const status = await service.status("line");
  assert.equal(status?.connector.state, "RUNNING");
  assert.deepEqual(
    status?.tasks.map((task) => [task.id, task.state, task.worker_id]),
    [[0, "RUNNING", "w1"]],
  );
  const live = await service.liveSource("conveyor");
  assert.ok(live !== undefined && !("forwarded" in live));
  assert.equal(live.tags[0]?.alias, "sequence");

  await service.pause("line");
  await eventually("tasks paused", async () => (await service.status("line"))?.tasks[0]?.state === "PAUSED");
  assert.equal(worker.liveLocal("conveyor"), undefined);
  await service.resume("line");
  await eventually("tasks running", async () => (await service.status("line"))?.tasks[0]?.state === "RUNNING");

  await service.delete("line");
  assert.deepEqual(await service.connectorNames(), []);
  await eventually("statuses removed", async () => worker.statusOf("status-task-line-0") === undefined);
  assert.equal(worker.liveLocal("conveyor"), undefined);
});

test("a connector's sink runs as a task of the worker: a setpoint record reaches the PLC, read back by its source", async (t) => {
  const kafka = testKafka();
  const readings = await createTopic(kafka, "connect-worker-readings");
  const setpoints = await createTopic(kafka, "connect-worker-setpoints");
  const { sim, port } = await startPlant(13);
  t.after(() => sim.stop());
  const { service } = await startWorker(t, kafka, uniqueGroup(), "w1");
  const url = `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`;
  await service.create("conveyor", {
    sources: {
      belt: {
        url,
        jobs: [{ name: "setpoint", interval: "100ms", tags: { speed: "holding-register:11:REAL" }, topic: readings }],
      },
    },
    sinks: {
      setpoints: {
        url,
        topic: setpoints,
        tags: { speed: "holding-register:11:REAL" },
        deadLetterTopic: uniqueTopic("dlq"),
        groupId: uniqueTopic("sink"),
      },
    },
  });
  assert.deepEqual(
    (await service.tasks("conveyor"))?.map((task) => task.config.sink ?? task.config.source),
    ["belt", "setpoints"],
  );
  const producer = createProducer(kafka, { clientId: "setpoint-test" });
  t.after(() => producer.close());
  await producer.send({ messages: [{ topic: setpoints, value: Buffer.from('{"tags":{"speed":26.5}}') }] });

  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  for await (const message of await consumer.consume({ topics: [readings], mode: "earliest" })) {
    if ((decodeJson(message.value) as { tags: { speed: number } }).tags.speed === 26.5) break;
  }
  const status = await service.status("conveyor");
  assert.deepEqual(
    status?.tasks.map((task) => task.state),
    ["RUNNING", "RUNNING"],
  );
});

test("a source whose PLC cannot be reached never holds up the others: it runs, says BAD, and they deliver", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-worker-unreachable");
  const { sim, port } = await startPlant(14);
  t.after(() => sim.stop());
  const nobody = await freePort();
  const { service } = await startWorker(t, kafka, uniqueGroup(), "w1");
  const job = { name: "seq", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic };
  await service.create("mixed", {
    sources: {
      away: { url: `modbus-tcp://127.0.0.1:${nobody}?unit-identifier=1&request-timeout=200`, jobs: [job] },
      here: { url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`, jobs: [job] },
    },
  });
  const consumer = createConsumer(kafka, { groupId: uniqueTopic("group"), deserializers: stringDeserializers });
  t.after(() => consumer.close(true));
  const good = new Map<string, number>();
  const bad = new Set<string>();
  for await (const message of await consumer.consume({ topics: [topic], mode: "earliest" })) {
    const source = (JSON.parse(message.key) as { sourceName: string }).sourceName;
    const value = decodeJson(message.value) as { quality: { sequence: string } };
    if (value.quality.sequence === "GOOD") good.set(source, (good.get(source) ?? 0) + 1);
    else bad.add(source);
    if ((good.get("here") ?? 0) >= 10 && bad.has("away")) break;
  }
  assert.equal(good.get("away"), undefined, "never a GOOD value from a PLC nobody answers for");
  const status = await service.status("mixed");
  assert.deepEqual(
    status?.tasks.map((task) => task.state),
    ["RUNNING", "RUNNING"],
  );
  const away = await service.liveSource("away");
  assert.ok(away !== undefined && !("forwarded" in away));
  assert.notEqual(away.health, "connected");
});

test("a task that cannot start is FAILED with the reason, and a restart request runs it once the cause is gone", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-worker-failed");
  const { sim, port } = await startPlant(15);
  t.after(() => sim.stop());
  const { service } = await startWorker(t, kafka, uniqueGroup(), "w1");
  const blocked = join(await mkdtemp(join(tmpdir(), "fabrik-blocked-")), "buffer");
  await writeFile(blocked, "a file where the buffer directory should be");
  t.after(() => rm(dirname(blocked), { recursive: true, force: true }));
  await service.create("stuck", {
    buffer: { dir: blocked },
    sources: {
      here: {
        url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`,
        jobs: [{ name: "seq", interval: "100ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
      },
    },
  });
  const failed = await eventually("the task to fail", async () => {
    const task = (await service.status("stuck"))?.tasks[0];
    return task?.state === "FAILED" ? task : undefined;
  });
  assert.match(failed.trace ?? "", /source here: .*buffer/);
  await rm(blocked);
  await service.restart("stuck", { includeTasks: true, onlyFailed: true });
  await eventually("the task to run", async () => (await service.status("stuck"))?.tasks[0]?.state === "RUNNING");
});

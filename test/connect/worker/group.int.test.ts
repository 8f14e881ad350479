// Several workers of one group: tasks spread over them, move when one leaves, and any worker answers for the group.
import assert from "node:assert/strict";
import { test } from "node:test";
import { eventually, testKafka } from "../../support/kafka.ts";
import { createTopic, startPlant } from "../source/fixture.ts";
import { startWorker, uniqueGroup } from "./fixture.ts";

test("two workers share a connector's sources; when one leaves the other runs them all", async (t) => {
  const kafka = testKafka();
  const topic = await createTopic(kafka, "connect-group");
  const { sim, port } = await startPlant(12);
  t.after(() => sim.stop());
  const group = uniqueGroup();
  const first = await startWorker(t, kafka, group, "w1", { sessionTimeoutMs: 6_000 });
  const second = await startWorker(t, kafka, group, "w2", { sessionTimeoutMs: 6_000 });
  const sources: Record<string, unknown> = {};
  for (let i = 0; i < 6; i++) {
    sources[`press${i}`] = {
      url: `modbus-tcp://127.0.0.1:${port}?unit-identifier=1`,
      jobs: [{ name: "status", interval: "200ms", tags: { sequence: "input-register:1:UDINT" }, topic }],
    };
  }
  await first.service.create("presses", { sources });
  const workersOf = async (service = second.service) =>
    (await service.status("presses"))?.tasks.map((task) => `${task.state}@${task.worker_id}`) ?? [];
  const spread = await eventually("all six tasks running", async () => {
    const states = await workersOf();
    return states.length === 6 && states.every((s) => s.startsWith("RUNNING@")) ? states : undefined;
  });
  assert.ok(spread.includes("RUNNING@w1") && spread.includes("RUNNING@w2"), `tasks on both workers: ${spread}`);
  // The worker that does not run a source asks the one that does.
  const remote = spread.indexOf("RUNNING@w2");
  const response = await fetch(`${first.rest.url}/sources/press${remote}/tags`);
  assert.equal(response.status, 200);
  const live = (await response.json()) as { worker_id: string; tags: { alias: string }[] };
  assert.equal(live.worker_id, "w2");
  assert.deepEqual(
    live.tags.map((tag) => tag.alias),
    ["sequence"],
  );

  await second.worker.close();
  const moved = await eventually("every task on w1", async () => {
    const states = await workersOf(first.service);
    return states.length === 6 && states.every((s) => s === "RUNNING@w1") ? states : undefined;
  });
  assert.equal(moved.length, 6);
});

// Lifecycle resources: status, pause/resume (202), restart (204 or 202 with the status), tasks and task status.
import assert from "node:assert/strict";
import { test } from "node:test";
import { restartingStatus } from "../../../../src/connect/rest/routes/lifecycle.ts";
import type { ConnectorStatus } from "../../../../src/connect/service.ts";
import { createConnector, fixture } from "../app-fixture.ts";

const WORKER = "worker-1:8083";

test("GET /connectors/{name}/status is Connect's ConnectorStateInfo; 404 when unknown", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  f.service.setStates("press", "FAILED", ["RUNNING"], "java.lang.Nothing: device unreachable");
  const answer = await f.request("GET", "/connectors/press/status");
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, {
    name: "press",
    connector: { state: "FAILED", worker_id: WORKER, trace: "java.lang.Nothing: device unreachable" },
    tasks: [{ id: 0, state: "RUNNING", worker_id: WORKER }],
    type: "source",
  });
  const missing = await f.request("GET", "/connectors/nope/status");
  assert.deepEqual(missing.body, { error_code: 404, message: "Connector nope not found" });
});

test("PUT pause and resume answer 202 with no body; even with an empty JSON body; 404 when unknown", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const paused = await f.request("PUT", "/connectors/press/pause", "", { "content-type": "application/json" });
  assert.equal(paused.status, 202);
  assert.equal(paused.text, "");
  const status = await f.request("GET", "/connectors/press/status");
  assert.equal((status.body as ConnectorStatus).connector.state, "PAUSED");
  const resumed = await f.request("PUT", "/connectors/press/resume");
  assert.equal(resumed.status, 202);
  assert.equal(
    ((await f.request("GET", "/connectors/press/status")).body as ConnectorStatus).connector.state,
    "RUNNING",
  );
  for (const verb of ["pause", "resume"]) {
    const missing = await f.request("PUT", `/connectors/nope/${verb}`);
    assert.deepEqual(missing.body, { error_code: 404, message: "Connector nope not found" });
  }
});

test("POST restart without flags: 204, no body, the connector alone (as before KIP-745)", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const answer = await f.request("POST", "/connectors/press/restart");
  assert.equal(answer.status, 204);
  assert.equal(answer.text, "");
  assert.deepEqual(f.service.calls.at(-1), ["restart", "press", { includeTasks: false, onlyFailed: false }]);
  const explicit = await f.request("POST", "/connectors/press/restart?includeTasks=false&onlyFailed=false");
  assert.equal(explicit.status, 204);
});

test("POST restart?includeTasks=true: 202 with the status, connector and tasks RESTARTING", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const answer = await f.request("POST", "/connectors/press/restart?includeTasks=true");
  assert.equal(answer.status, 202);
  assert.deepEqual(answer.body, {
    name: "press",
    connector: { state: "RESTARTING", worker_id: WORKER },
    tasks: [{ id: 0, state: "RESTARTING", worker_id: WORKER }],
    type: "source",
  });
  assert.deepEqual(f.service.calls.at(-1), ["restart", "press", { includeTasks: true, onlyFailed: false }]);
});

test("POST restart?includeTasks=true&onlyFailed=true marks only failed instances RESTARTING", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  f.service.setStates("press", "RUNNING", ["FAILED"], undefined);
  const answer = await f.request("POST", "/connectors/press/restart?includeTasks=true&onlyFailed=true");
  assert.equal(answer.status, 202);
  const body = answer.body as ConnectorStatus;
  assert.equal(body.connector.state, "RUNNING");
  assert.equal(body.tasks[0]?.state, "RESTARTING");
});

test("restartingStatus: onlyFailed alone restarts a failed connector but no tasks; traces of restarted go", () => {
  const before: ConnectorStatus = {
    name: "c",
    connector: { state: "FAILED", worker_id: "w", trace: "boom" },
    tasks: [
      { id: 0, state: "FAILED", worker_id: "w", trace: "task boom" },
      { id: 1, state: "RUNNING", worker_id: "w" },
    ],
    type: "source",
  };
  const onlyFailed = restartingStatus(before, { includeTasks: false, onlyFailed: true });
  assert.deepEqual(onlyFailed.connector, { state: "RESTARTING", worker_id: "w" });
  assert.deepEqual(onlyFailed.tasks, before.tasks);
  const all = restartingStatus(before, { includeTasks: true, onlyFailed: false });
  assert.deepEqual(
    all.tasks.map((task) => [task.id, task.state, task.trace]),
    [
      [0, "RESTARTING", undefined],
      [1, "RESTARTING", undefined],
    ],
  );
});

test("POST restart: 404 for an unknown connector with either form; 400 for a non-boolean flag", async (t) => {
  const f = await fixture(t);
  for (const url of ["/connectors/nope/restart", "/connectors/nope/restart?includeTasks=true"]) {
    const answer = await f.request("POST", url);
    assert.deepEqual(answer.body, { error_code: 404, message: "Connector nope not found" }, url);
  }
  const bad = await f.request("POST", "/connectors/nope/restart?includeTasks=maybe");
  assert.equal(bad.status, 400);
  assert.match((bad.body as { message: string }).message, /includeTasks must be boolean/);
});

test("GET /connectors/{name}/tasks lists TaskInfo; 404 when unknown", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const answer = await f.request("GET", "/connectors/press/tasks");
  assert.deepEqual(answer.body, [{ id: { connector: "press", task: 0 }, config: { task: "0" } }]);
  assert.equal((await f.request("GET", "/connectors/nope/tasks")).status, 404);
});

test("GET /connectors/{name}/tasks/{id}/status: the task's state; 404 for an unknown task; 400 for a bad id", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  const answer = await f.request("GET", "/connectors/press/tasks/0/status");
  assert.deepEqual(answer.body, { id: 0, state: "RUNNING", worker_id: WORKER });
  const missing = await f.request("GET", "/connectors/press/tasks/7/status");
  assert.deepEqual(missing.body, { error_code: 404, message: "No status found for task press-7" });
  assert.equal((await f.request("GET", "/connectors/nope/tasks/0/status")).status, 404);
  const bad = await f.request("GET", "/connectors/press/tasks/first/status");
  assert.equal(bad.status, 400);
  assert.match((bad.body as { message: string }).message, /task must be integer/);
});

test("POST /connectors/{name}/tasks/{id}/restart: 204; 404 for an unknown task", async (t) => {
  const f = await fixture(t);
  await createConnector(f, "press");
  f.service.setStates("press", "RUNNING", ["FAILED"]);
  const answer = await f.request("POST", "/connectors/press/tasks/0/restart");
  assert.equal(answer.status, 204);
  assert.deepEqual(f.service.calls.at(-1), ["restartTask", "press", 0]);
  const status = (await f.request("GET", "/connectors/press/tasks/0/status")).body as { state: string };
  assert.equal(status.state, "RUNNING");
  const missing = await f.request("POST", "/connectors/press/tasks/3/restart");
  assert.deepEqual(missing.body, { error_code: 404, message: "Task press-3 not found" });
});

// Tests what a source runner does without a broker: a start that fails leaves nothing behind.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { ConnectMetrics } from "../../../src/connect/rest/metrics.ts";
import { SourceRunner, type SourceRunnerOptions } from "../../../src/connect/source/source-runner.ts";
import { ConnectionManager, drivers, realSchedule } from "../../../src/plc/index.ts";
import { silentLog } from "./fixture.ts";

it("a start that fails releases the buffer directory, so the source can be started again", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "fabrik-runner-"));
  const manager = new ConnectionManager({ registry: drivers });
  t.after(async () => {
    await manager.close();
    await rm(dir, { recursive: true, force: true });
  });
  const options: SourceRunnerOptions = {
    connector: "line",
    workerId: "test-worker",
    // No driver speaks this protocol: no reconnect can fix it, so starting rejects.
    source: { name: "press", url: "no-such-protocol://127.0.0.1", jobs: [] },
    delivery: {
      lingerMs: 10,
      batchSize: 100,
      buffer: { dir, maxBytes: 1_000_000, maxAgeMs: 60_000, whenFull: "drop-oldest" },
    },
    manager,
    kafka: { bootstrapServers: ["127.0.0.1:9"] },
    metrics: new ConnectMetrics(),
    log: silentLog,
    schedule: realSchedule,
  };
  const first = await SourceRunner.start(options).then(
    () => assert.fail("started with a protocol no driver speaks"),
    (error: unknown) => error,
  );
  const second = await SourceRunner.start(options).then(
    () => assert.fail("started with a protocol no driver speaks"),
    (error: unknown) => error,
  );
  assert.equal(
    (second as Error).message,
    (first as Error).message,
    "the second start fails for the same reason, not because the buffer is still locked",
  );
  assert.doesNotMatch((second as Error).message, /already open/);
});

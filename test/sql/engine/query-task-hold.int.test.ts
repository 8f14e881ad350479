// A query task and a pipeline that holds table updates: they go out coalesced, before the offsets are committed.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BatchReport } from "../../../src/sql/engine/query-task.ts";
import type {
  InputRecord,
  OutputRecord,
  Pipeline,
  PipelineOutput,
  PipelineTopic,
  ProcessOptions,
} from "../../../src/sql/runtime/pipeline.ts";
import { uniqueTopic } from "../../support/kafka.ts";
import { afterBatches, createTopics, produce, readAll, startTask, uniqueService, whenStatus } from "./fixture.ts";

/** `SELECT K, COUNT(*) … GROUP BY K` reduced: counts per key, held until `flush` when asked to hold. */
class HoldingCountPipeline implements Pipeline {
  readonly topics: readonly PipelineTopic[];
  readonly events: string[] = [];
  readonly #sink: string;
  readonly #counts = new Map<string, number>();
  readonly #held = new Map<string, OutputRecord>();

  constructor(source: string, sink: string) {
    this.topics = [
      { name: source, role: "source" },
      { name: sink, role: "sink" },
    ];
    this.#sink = sink;
  }

  assign(): void {}
  restore(): void {}
  revoke(): void {
    this.#counts.clear();
    this.#held.clear();
  }

  process(records: readonly InputRecord[], options?: ProcessOptions): PipelineOutput {
    this.events.push(`process ${records.length}${options?.hold === true ? " held" : ""}`);
    for (const record of records) {
      const key = record.key?.toString() ?? "";
      const count = (this.#counts.get(key) ?? 0) + 1;
      this.#counts.set(key, count);
      const value = Buffer.from(String(count));
      this.#held.set(key, { topic: this.#sink, key: record.key, value, timestamp: record.timestamp });
    }
    return options?.hold === true ? { records: [], rows: [], errors: [], done: false } : this.flush();
  }

  flush(): PipelineOutput {
    this.events.push(`flush ${this.#held.size}`);
    const records = [...this.#held.values()];
    this.#held.clear();
    return { records, rows: [], errors: [], done: false };
  }

  get heldBytes(): number {
    return this.#held.size * 16;
  }
}

test("held updates go out once per key when the task settles, in the report of the commit that covers them", async (t) => {
  const serviceId = uniqueService("hold");
  const [source, sink] = [uniqueTopic("hold-in"), uniqueTopic("hold-out")];
  await createTopics([source, sink], 1);
  await produce(
    source,
    ["a", "b", "a", "a", "b"].map((key) => ({ key, value: "x" })),
  );
  const pipeline = new HoldingCountPipeline(source, sink);
  // A long interval: the task settles when a poll finds nothing new (the input is caught up), not on a timer.
  const task = startTask(t, { serviceId, queryId: "CTAS_HOLD_1", pipeline, commitIntervalMs: 60_000 });
  const reports: BatchReport[] = [];
  task.on("batch", (report) => reports.push(report));
  await afterBatches("the five records committed", [task], () => reports.some((r) => r.committed.length > 0));

  assert.ok(pipeline.events[0]?.endsWith(" held"), "the task asks the pipeline to hold");
  assert.deepEqual(reports, [
    {
      records: 5,
      produced: 2,
      errors: 0,
      committed: [{ topic: source, partition: 0, offset: 5n }],
      settled: "caught-up",
    },
  ]);
  const out = (await readAll(sink)).map((r) => `${r.key}=${r.value}`);
  assert.deepEqual(out, ["a=3", "b=2"]);
  await task.stop();
});

test("held updates past the byte bound go out at once, settled for the bound, not the interval or an empty poll", async (t) => {
  const serviceId = uniqueService("bound");
  const [source, sink] = [uniqueTopic("bound-in"), uniqueTopic("bound-out")];
  await createTopics([source, sink], 1);
  const pipeline = new HoldingCountPipeline(source, sink);
  // Polls that find nothing take 5 s, so a caught-up settle would come late; the report says which one it was.
  const task = startTask(t, {
    serviceId,
    queryId: "CTAS_BOUND_1",
    pipeline,
    commitIntervalMs: 60_000,
    cacheMaxBytes: 0,
    maxWaitMs: 5_000,
  });
  const reports: BatchReport[] = [];
  task.on("batch", (report) => reports.push(report));
  await whenStatus("the task to run", task, (s) => s.state === "RUNNING");
  await produce(source, [{ key: "a", value: "x" }]);
  await afterBatches("the record committed", [task], () => reports.length > 0);
  assert.deepEqual(pipeline.events.slice(-2), ["process 1 held", "flush 1"]);
  assert.deepEqual(reports[0], {
    records: 1,
    produced: 1,
    errors: 0,
    committed: [{ topic: source, partition: 0, offset: 1n }],
    settled: "bound",
  });
});

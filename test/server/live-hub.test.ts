// The live feed's pieces without Kafka: records decoded into samples (job and tag format), the fan-out with its recent
// history and batches, and a browser that falls behind dropped instead of growing memory.
import assert from "node:assert/strict";
import { test } from "node:test";
import { jobRecord, tagRecords } from "../../src/connect/records/index.ts";
import { type LiveClient, LiveHub, sseEvent } from "../../src/server/live/hub.ts";
import { eventJson, type FeedRecord, type SeriesSample, sampleOf } from "../../src/server/live/samples.ts";
import { buildCatalog } from "../../src/server/plant-catalog.ts";
import { PLANT_CONFIG } from "./plant-service.ts";

const catalog = buildCatalog([{ name: "line1", config: PLANT_CONFIG }]);
const good = (value: unknown, sampledAt: number) => ({ code: "OK", quality: "GOOD", value, sampledAt }) as const;

function pressRecord(ts: number, pressure: number | null): FeedRecord {
  const readings =
    pressure === null
      ? {
          pressure: { code: "TIMEOUT", quality: "BAD", message: "no answer in 500 ms", sampledAt: ts } as const,
          state: good(1, ts),
        }
      : { pressure: good(pressure, ts), state: good(1, ts), program: good("P-12", ts) };
  const draft = jobRecord({ source: "press", job: "status", readings: readings as never, sampledAt: ts });
  return { topic: "plant.press", key: Buffer.from(draft.key), value: Buffer.from(draft.value), timestamp: ts + 5 };
}

test("a job record becomes a sample of its job: tags, quality, errors; the sample time is the record's", () => {
  const found = sampleOf(catalog, pressRecord(1000, 181.25));
  assert.deepEqual(found?.sample, {
    connector: "line1",
    source: "press",
    job: "status",
    ts: 1005,
    tags: { pressure: 181.25, state: 1, program: "P-12" },
    quality: { pressure: "GOOD", state: "GOOD", program: "GOOD" },
    errors: {},
  });
  const bad = sampleOf(catalog, pressRecord(2000, null))!.sample;
  assert.equal(bad.tags.pressure, null);
  assert.equal(bad.quality.pressure, "BAD");
  assert.deepEqual(bad.errors, { pressure: { code: "TIMEOUT", message: "no answer in 500 ms" } });
});

test("a tag record becomes a sample of its job with that one tag; records of no known job are passed over", () => {
  const [zone2] = tagRecords({
    source: "oven",
    job: "temps",
    readings: { zone2: good(212.5, 3000) } as never,
    sampledAt: 3000,
  });
  const record = {
    topic: "plant.oven.zone2",
    key: Buffer.from(zone2!.key),
    value: Buffer.from(zone2!.value),
    timestamp: 3000,
  };
  const found = sampleOf(catalog, record)!;
  assert.deepEqual(found.sample, {
    connector: "line1",
    source: "oven",
    job: "temps",
    ts: 3000,
    tags: { zone2: 212.5 },
    quality: { zone2: "GOOD" },
    errors: {},
  });
  assert.notEqual(found.series, sampleOf(catalog, pressRecord(1, 1))!.series);
  const stranger = { ...pressRecord(1, 1), key: Buffer.from('{"sourceName":"mixer","jobName":"status"}') };
  assert.equal(sampleOf(catalog, stranger), undefined);
  assert.equal(sampleOf(catalog, { ...pressRecord(1, 1), topic: "elsewhere" }), undefined);
  assert.equal(sampleOf(catalog, { ...pressRecord(1, 1), value: Buffer.from("not json") }), undefined);
});

test("64-bit integers beyond 2^53 go out as strings of their digits, smaller ones as numbers", () => {
  assert.equal(eventJson({ a: 18446744073709551615n, c: 1.5 }), '{"a":"18446744073709551615","c":1.5}');
  const record = pressRecord(1, 1);
  const text = record.value!.toString().replace('"state":1', '"state":9007199254740993');
  const sample = sampleOf(catalog, { ...record, value: Buffer.from(text) })!.sample;
  assert.equal(eventJson(sample.tags), '{"pressure":1,"state":"9007199254740993","program":"P-12"}');
});

class FakeClient implements LiveClient {
  text = "";
  pending = 0;
  dropped: string | undefined;
  send(text: string): void {
    this.text += text;
  }
  backlog(): number {
    return this.pending;
  }
  drop(reason: string): void {
    this.dropped = reason;
  }
  events(): { event: string; data: unknown }[] {
    return this.text
      .split("\n\n")
      .filter((block) => block.startsWith("event: "))
      .map((block) => {
        const [event, data] = block.split("\n");
        return { event: event!.slice(7), data: JSON.parse(data!.slice(6)) };
      });
  }
}

function series(n: number, ts: number): SeriesSample {
  return {
    series: `s${n}`,
    sample: { connector: "c", source: `m${n}`, job: "j", ts, tags: { v: ts }, quality: {}, errors: {} },
  };
}

test("a new browser gets the plant, then the recent history oldest first, then the batches; history is per series and capped", () => {
  const hub = new LiveHub({ historyPerSeries: 3 });
  hub.setPlant(catalog.plant);
  hub.take([series(1, 10), series(2, 5), series(1, 20), series(1, 30), series(1, 40)]);
  const early = new FakeClient();
  hub.add(early);
  assert.deepEqual(
    early.events().map((e) => e.event),
    ["plant", "samples"],
  );
  assert.deepEqual(early.events()[1]!.data, { samples: [] }, "samples not yet sent are not history yet");
  hub.flush();
  assert.equal(hub.pending, 0);
  const late = new FakeClient();
  hub.add(late);
  const [plant, history] = late.events();
  assert.deepEqual(plant!.data, catalog.plant);
  const replayed = (history!.data as { samples: { ts: number }[] }).samples.map((s) => s.ts);
  assert.deepEqual(replayed, [5, 20, 30, 40], "the last 3 of series 1 and the one of series 2, by time");
  const batch = early.events()[2]!;
  assert.equal(batch.event, "samples");
  assert.deepEqual(
    (batch.data as { samples: { ts: number }[] }).samples.map((s) => s.ts),
    [10, 5, 20, 30, 40],
  );
  hub.flush();
  assert.equal(early.events().length, 3, "an empty batch sends nothing");
  hub.health({ sources: [] });
  hub.keepAlive();
  assert.ok(late.text.endsWith(`${sseEvent("health", { sources: [] })}: keep-alive\n\n`));
});

test("a browser that falls too far behind is dropped with a reason; the others go on", () => {
  const reasons: string[] = [];
  const hub = new LiveHub({ maxClientBacklog: 1000, onDrop: (reason) => reasons.push(reason) });
  const slow = new FakeClient();
  const fast = new FakeClient();
  hub.add(slow);
  hub.add(fast);
  slow.pending = 1001;
  hub.take([series(1, 1)]);
  hub.flush();
  assert.match(slow.dropped!, /fell 1001 bytes behind \(at most 1000\)/);
  assert.deepEqual(reasons, [slow.dropped]);
  assert.equal(hub.clients, 1);
  hub.take([series(1, 2)]);
  hub.flush();
  assert.equal(fast.events().filter((e) => e.event === "samples").length, 3);
  assert.equal(slow.events().filter((e) => e.event === "samples").length, 2, "nothing more after the drop");
});

test("samples piling up between two batches are capped, the oldest going first", () => {
  const hub = new LiveHub({ maxPending: 3 });
  hub.take([series(1, 1), series(1, 2)]);
  hub.take([series(1, 3), series(1, 4), series(1, 5)]);
  assert.equal(hub.pending, 3);
  assert.equal(hub.droppedSamples, 2);
  const client = new FakeClient();
  hub.add(client);
  hub.flush();
  assert.deepEqual(
    (client.events()[2]!.data as { samples: { ts: number }[] }).samples.map((s) => s.ts),
    [3, 4, 5],
  );
});

test("a new plant is sent to every browser and forgets the history of jobs no longer in it", () => {
  const hub = new LiveHub();
  hub.setPlant(catalog.plant);
  const press = sampleOf(catalog, pressRecord(1, 1))!;
  hub.take([press]);
  hub.flush();
  const client = new FakeClient();
  hub.add(client);
  hub.setPlant({ sources: [] });
  assert.deepEqual(client.events().at(-1), { event: "plant", data: { sources: [] } });
  const next = new FakeClient();
  hub.add(next);
  assert.deepEqual(next.events()[1]!.data, { samples: [] });
});

// Tests that the one-pass job record writer spells exactly what encodeJson writes for the record's object form.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeJson,
  JobRecordWriter,
  JsonEncodeError,
  type JsonValue,
  jobRecord,
  plcValueToJson,
  type RecordSample,
  sampleTime,
} from "../../../src/connect/records/index.ts";
import type { PlcValue, ReadResponse, TagReading } from "../../../src/plc/index.ts";
import { seededRandom } from "../../support/random.ts";
import { T0 } from "./sample-fixture.ts";

/** The job record value built as an object and encoded whole: the format's definition, independent of the writer. */
function referenceValue(sample: RecordSample): string {
  const timestamp = sampleTime(sample);
  const entries = Object.entries(sample.readings);
  const pairs = <T>(pick: (alias: string, reading: TagReading) => T | undefined) =>
    entries.flatMap(([alias, reading]) => {
      const value = pick(alias, reading);
      return value === undefined ? [] : [[alias, value] as const];
    });
  const optional = (list: readonly (readonly [string, JsonValue])[]) =>
    list.length > 0 ? Object.fromEntries(list) : undefined;
  const mapped = (reading: TagReading) => (reading.code === "OK" ? plcValueToJson(reading.value) : undefined);
  return encodeJson({
    tags: Object.fromEntries(entries.map(([alias, reading]) => [alias, mapped(reading)?.json ?? null])),
    timestamp,
    expires: sample.expiresAfterMs === undefined ? null : timestamp + Math.floor(sample.expiresAfterMs),
    quality: Object.fromEntries(entries.map(([alias, reading]) => [alias, reading.quality])),
    sourceTimestamps: optional(pairs((_, r) => (r.code === "OK" ? r.sourceTime : undefined))),
    errors: optional(pairs((_, r) => (r.code === "OK" ? undefined : { code: r.code, message: r.message }))),
    nonFinite: optional(pairs((_, r) => mapped(r)?.nonFinite)),
  });
}

const ALIASES = ["temperature", "7", "__proto__", 'quote"d', "ä ü", "12", "line\nbreak", "b", "a", "0"];
const VALUES: readonly PlcValue[] = [
  0,
  -0,
  1.5,
  -273.15,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  18446744073709551615n,
  -5n,
  "",
  'Ä "mix"\n\u0001',
  { ms: 1500 },
  { ns: 9007199254740993n },
  new Date(T0),
  new Date(Number.NaN),
  [1, Number.NaN, 3],
  [true, false],
];

function randomSample(next: () => number, aliases: readonly string[]): ReadResponse {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const readings: Record<string, TagReading> = {};
  for (const alias of aliases) {
    const sampledAt = T0 + next() * 10;
    const roll = next();
    // Object.defineProperty, as a driver's plain assignment of `__proto__` would set the prototype instead.
    const reading: TagReading =
      roll < 0.1
        ? { code: pick(["TIMEOUT", "NOT_FOUND"] as const), message: `failed ${alias}`, quality: "BAD", sampledAt }
        : {
            code: "OK",
            value: pick(VALUES),
            quality: roll < 0.2 ? "UNCERTAIN" : "GOOD",
            sampledAt,
            ...(roll > 0.9 ? { sourceTime: T0 - Math.floor(next() * 100) } : {}),
          };
    Object.defineProperty(readings, alias, { value: reading, enumerable: true, writable: true, configurable: true });
  }
  return readings;
}

describe("the job record writer", () => {
  it("writes the same text as encoding the record's object form, sample after sample of one job", () => {
    const next = seededRandom(42);
    const writer = new JobRecordWriter("press-1", "cycle", 5000);
    let allGoodSamples = 0;
    for (let round = 0; round < 400; round++) {
      // The same aliases most of the time (the kept fragments), another set now and then (a subscription's subset).
      const aliases = next() < 0.8 ? ALIASES : ALIASES.filter(() => next() < 0.5);
      const readings = randomSample(next, aliases);
      if (Object.values(readings).every((reading) => reading.quality === "GOOD")) allGoodSamples++;
      const sample: RecordSample = { source: "press-1", job: "cycle", readings, sampledAt: T0, expiresAfterMs: 5000 };
      const record = writer.record(readings, T0);
      assert.equal(record.value, referenceValue(sample), `round ${round}`);
      assert.equal(record.timestamp, sampleTime(sample));
      assert.equal(record.key, '{"sourceName":"press-1","jobName":"cycle"}');
    }
    assert.ok(allGoodSamples > 10, `all-GOOD samples were checked too (${allGoodSamples})`);
  });

  it("sees a quality change in a sample of the same aliases after an all-GOOD one", () => {
    const writer = new JobRecordWriter("s", "j");
    const good: ReadResponse = { a: { code: "OK", value: 1, quality: "GOOD", sampledAt: T0 } };
    const uncertain: ReadResponse = { a: { code: "OK", value: 1, quality: "UNCERTAIN", sampledAt: T0 } };
    assert.match(writer.record(good, T0).value, /"quality":\{"a":"GOOD"\}\}$/);
    assert.match(writer.record(uncertain, T0).value, /"quality":\{"a":"UNCERTAIN"\}\}$/);
    assert.match(writer.record(good, T0).value, /"quality":\{"a":"GOOD"\}\}$/);
  });

  it("names the tag of a value JSON cannot hold, as encoding the whole record would", () => {
    const readings = { "odd one": { code: "OK", value: [Symbol("x")], quality: "GOOD", sampledAt: T0 } };
    assert.throws(
      () => jobRecord({ source: "s", job: "j", readings: readings as unknown as ReadResponse, sampledAt: T0 }),
      (error: unknown) => error instanceof JsonEncodeError && error.path === '$.tags["odd one"][0]',
    );
  });
});

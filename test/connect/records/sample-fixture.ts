// One job sample holding every kind of PLC value, good, uncertain and bad tags: the input of the golden record files.

import type { RecordSample } from "../../../src/connect/records/index.ts";
import type { ReadResponse } from "../../../src/plc/index.ts";

/** 2024-03-01T06:00:00.000Z */
export const T0 = 1709272800000;

export const READINGS: ReadResponse = {
  temperature: { code: "OK", value: 71.25, quality: "GOOD", sampledAt: T0 + 3, sourceTime: T0 - 10 },
  count: { code: "OK", value: 18446744073709551615n, quality: "GOOD", sampledAt: T0 },
  position: { code: "OK", value: -9223372036854775808n, quality: "GOOD", sampledAt: T0 + 1 },
  running: { code: "OK", value: true, quality: "GOOD", sampledAt: T0 + 1 },
  recipe: { code: "OK", value: 'Ä "mix"\n\u0001\t😀', quality: "GOOD", sampledAt: T0 + 1 },
  cycleTime: { code: "OK", value: { ms: 1500 }, quality: "GOOD", sampledAt: T0 + 2 },
  uptime: { code: "OK", value: { ns: 9007199254740993n }, quality: "GOOD", sampledAt: T0 + 2 },
  batchStart: { code: "OK", value: new Date("2024-03-01T05:30:00.000Z"), quality: "GOOD", sampledAt: T0 + 2 },
  speeds: { code: "OK", value: [1.5, Number.NaN, Number.NEGATIVE_INFINITY], quality: "GOOD", sampledAt: T0 + 2 },
  pressure: { code: "OK", value: Number.NaN, quality: "UNCERTAIN", sampledAt: T0 + 4, sourceTime: T0 - 20 },
  valve: {
    code: "TIMEOUT",
    quality: "BAD",
    sampledAt: T0 + 5,
    message: "no answer from 10.0.0.5:502 within 2000 ms",
  },
};

export const SAMPLE: RecordSample = {
  source: "press-1",
  job: "cycle",
  readings: READINGS,
  sampledAt: T0 - 1,
  expiresAfterMs: 5000,
};

/** A golden file next to the tests. */
export function goldenPath(name: string): URL {
  return new URL(`./${name}`, import.meta.url);
}

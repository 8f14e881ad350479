// The data bench/sql runs on: seeded sensor readings (~200 B of JSON, 10,000 keys) and the 10,000-row sensor table,
// each record a pure function of its index, so any process can make the same records and count what a query passes.

/** Distinct keys: every sensor reports once per second of event time, in turn. */
export const KEYS = 10_000;
/** Partitions of the stream and the table topics (equal, so the join needs no repartition). */
export const PARTITIONS = 4;
/** Changes whenever a record's content changes: a preload made by another version is not reused. */
export const DATA_VERSION = 1;
export const SEED = 0x5eed_2026;
/** Event time advances this much per round of all keys. */
export const ROUND_MS = 1_000;

const STATUSES = [
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "RUNNING",
  "IDLE",
  "FAULT",
];
const KINDS = ["temperature", "pressure", "vibration", "flow"] as const;
const UNITS = ["degC", "bar", "mm/s", "l/min"] as const;

/** One reading: the record key, the fields of its JSON value and its Kafka timestamp. */
export interface Reading {
  readonly key: string;
  readonly status: string;
  readonly temp: number;
  readonly json: string;
  readonly timestamp: number;
}

/** A 32-bit mix of seed and index (splitmix-style), so record i is the same whatever order records are made in. */
function mix(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mulberry32 from one state: the few numbers one record needs, in [0, 1). */
function generator(state: number): () => number {
  let s = state;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sensorKey(k: number): string {
  return `sensor-${String(k).padStart(5, "0")}`;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Reading `index` of a data set seeded with `seed`: sensor `index % KEYS`, event time `base + round × ROUND_MS`.
 * `sent` goes into the SENT field (the latency run stamps the send time there; the preload writes 0).
 */
export function reading(seed: number, index: number, base: number, sent = 0): Reading {
  const k = index % KEYS;
  const random = generator(mix(seed, index));
  const kind = k % KINDS.length;
  // Each sensor has its own level; readings spread around it, so about half pass scenario (a)'s TEMP > 50.
  const level = 35 + (k % 31);
  const temp = round(level + (random() - 0.5) * 20, 2);
  const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? "RUNNING";
  const key = sensorKey(k);
  const json =
    `{"SITE":"plant-${k % 7}","LINE":"line-${String(k % 40).padStart(2, "0")}","KIND":"${KINDS[kind]}",` +
    `"UNIT":"${UNITS[kind]}","TEMP":${temp},"PRESSURE":${round(0.9 + random() * 0.3, 4)},` +
    `"VIBRATION":${round(random() * 0.08, 4)},"RPM":${1400 + Math.floor(random() * 200)},"STATUS":"${status}",` +
    `"QUALITY":"GOOD","SEQ":${index},"SENT":${sent}}`;
  return { key, status, temp, json, timestamp: base + Math.floor(index / KEYS) * ROUND_MS };
}

/** Whether reading passes scenario (a)'s WHERE (kept beside the SQL in scenarios.ts, checked by the quick run). */
export function passesFilter(r: Pick<Reading, "status" | "temp">): boolean {
  return r.status === "RUNNING" && r.temp > 50;
}

/** The sensor table's row of sensor `k`: machine metadata the join adds. */
export function sensorInfo(k: number): { readonly key: string; readonly json: string } {
  return {
    key: sensorKey(k),
    json:
      `{"MACHINE":"press-${String(Math.floor(k / 8)).padStart(4, "0")}","AREA":"hall-${k % 5}",` +
      `"LIMIT_HI":${70 + (k % 20)},"VENDOR":"vendor-${k % 12}"}`,
  };
}

/** What a data set of `records` readings holds, as the marker records it and the scenarios check it. */
export interface DataSetFacts {
  readonly records: number;
  /** Readings that pass scenario (a)'s filter: the sink's expected count. */
  readonly passing: number;
  readonly valueBytes: number;
  readonly keyBytes: number;
}

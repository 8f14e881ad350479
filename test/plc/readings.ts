// Assertions on tag readings shared by the driver tests: a reading that must be OK and GOOD, and its value.
import assert from "node:assert/strict";
import type { TagReading } from "../../src/plc/response.ts";

/** Asserts `reading` is OK with quality GOOD (sampled at `sampledAt` when given) and returns its value. */
export function okValue(reading: TagReading | undefined, sampledAt?: number): unknown {
  assert.ok(reading, "missing reading");
  assert.equal(reading.code, "OK", reading.code === "OK" ? "" : reading.message);
  assert.equal(reading.quality, "GOOD");
  if (sampledAt !== undefined) assert.equal(reading.sampledAt, sampledAt);
  return reading.code === "OK" ? reading.value : undefined;
}

// The --memory option: lean by default, fast on request, anything else a usage error naming the choices.
import assert from "node:assert/strict";
import { test } from "node:test";
import { getHeapStatistics } from "node:v8";
import { UsageError } from "../../src/cli/command.ts";
import { applyMemoryMode, parseMemoryMode } from "../../src/cli/memory-mode.ts";

test("parseMemoryMode: lean unless told fast; a typo is a usage error listing the modes", () => {
  assert.equal(parseMemoryMode(undefined, "connect"), "lean");
  assert.equal(parseMemoryMode("fast", "connect"), "fast");
  assert.throws(
    () => parseMemoryMode("small", "connect"),
    (e: unknown) => e instanceof UsageError && /connect: --memory 'small': expected lean or fast/.test(e.message),
  );
});

test("applyMemoryMode: fast leaves V8 alone; lean is accepted by this V8 without disturbing the heap", () => {
  const before = getHeapStatistics().heap_size_limit;
  applyMemoryMode("fast");
  applyMemoryMode("lean");
  assert.equal(getHeapStatistics().heap_size_limit, before, "the memory saver changes when V8 collects, not its limit");
});

// How a long-running fabrik process trades CPU for memory: V8's memory saver (lean) or V8's defaults (fast).
import { setFlagsFromString } from "node:v8";
import { UsageError } from "./command.ts";

/**
 * lean: V8's memory saver mode keeps the heap near what is live, collecting more often — about 210 MB instead of
 * 550 MB for a connector sampling 100,000 tags/s, at about three times the CPU (docs/benchmarks.md, connect). fast: V8's
 * defaults, which let the heap grow to a multiple of what is live to collect less often.
 */
export type MemoryMode = "lean" | "fast";

const MEMORY_MODES: readonly MemoryMode[] = ["lean", "fast"];

export function parseMemoryMode(value: string | undefined, command: string): MemoryMode {
  if (value === undefined) return "lean";
  if ((MEMORY_MODES as readonly string[]).includes(value)) return value as MemoryMode;
  throw new UsageError(`${command}: --memory '${value}': expected ${MEMORY_MODES.join(" or ")}`);
}

/** Applies the mode to this process's V8 heap; the memory saver takes effect at the next collections. */
export function applyMemoryMode(mode: MemoryMode): void {
  if (mode === "lean") setFlagsFromString("--memory-saver-mode");
}

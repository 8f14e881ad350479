// A measured process's memory over its window, from inside it: sampled 4 times a second, reported as medians so that a
// collection at the wrong moment does not decide the number.
import { median } from "./benchmark.ts";

const MB = 1_000_000;

/** Medians in MB of `process.memoryUsage()` over the sampled window. */
export interface MemoryMedians {
  readonly rssMb: number;
  /** V8's heap as reserved (heapTotal). */
  readonly heapMb: number;
  /** Memory outside V8's heap that it tracks (Buffers). */
  readonly externalMb: number;
}

/** Starts sampling; `stop` ends it and answers the medians (NaN when no sample was taken). */
export function sampleMemory(): { stop(): MemoryMedians } {
  const rss: number[] = [];
  const heap: number[] = [];
  const external: number[] = [];
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    rss.push(memory.rss);
    heap.push(memory.heapTotal);
    external.push(memory.external);
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      return { rssMb: median(rss) / MB, heapMb: median(heap) / MB, externalMb: median(external) / MB };
    },
  };
}

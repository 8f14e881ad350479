// The tag map of every simulated PLC in bench/connect: 5,000 tags split into 10 jobs of 500, as the device serves them
// and as the connector's jobs ask for them.

/** Simulated PLCs, each a source of the connector. */
export const PLC_COUNT = 20;

/**
 * A PLC's tags sit in 10 blocks of 500; the connector reads them as 10 jobs of one block each by default (a job record
 * of 500 tags is about 19 KB, far below Kafka's 1 MB), or fewer, larger jobs of several blocks.
 */
const BLOCKS_PER_PLC = 10;
const TAGS_PER_BLOCK = 500;
export const TAGS_PER_PLC = BLOCKS_PER_PLC * TAGS_PER_BLOCK;

/** Of each block's tags, this many are status bits (discrete inputs); the rest are measurements in input registers. */
const BITS_PER_BLOCK = 50;

/** Input registers and discrete inputs of block b start at b × these strides (1-based, as PLC4X addresses are). */
const REGISTER_STRIDE = 1000;
const BIT_STRIDE = 100;

/** The register types of a machine's measurements, in rotation: 1.5 registers per tag on average. */
const REGISTER_TYPES = [
  { type: "INT", size: 1, name: "temp" },
  { type: "UINT", size: 1, name: "speed" },
  { type: "DINT", size: 2, name: "count" },
  { type: "REAL", size: 2, name: "current" },
  { type: "UDINT", size: 2, name: "energy" },
  { type: "WORD", size: 1, name: "state" },
] as const;

export type BenchDataType = (typeof REGISTER_TYPES)[number]["type"] | "BOOL";

export interface BenchTag {
  /** Unique within the PLC, 9 to 12 characters like the names in a real tag list (`current0123`). */
  readonly alias: string;
  /** PLC4X Modbus address (`input-register:1003:REAL`). */
  readonly address: string;
  readonly dataType: BenchDataType;
}

export interface BenchJob {
  readonly name: string;
  readonly tags: readonly BenchTag[];
}

/**
 * One PLC's tags, block by block. Each block's measurements are packed back to back from its own range of input
 * registers (675 registers: 6 requests of at most 125), its status bits from its own range of discrete inputs (1
 * request): the read optimizer needs 7 requests per block, 70 per PLC and sampling.
 */
export function plcBlocks(): BenchTag[][] {
  return Array.from({ length: BLOCKS_PER_PLC }, (_, block) => {
    const tags: BenchTag[] = [];
    let register = block * REGISTER_STRIDE + 1;
    for (let i = 0; i < TAGS_PER_BLOCK - BITS_PER_BLOCK; i++) {
      const kind = REGISTER_TYPES[i % REGISTER_TYPES.length]!;
      const alias = `${kind.name}${String(block * TAGS_PER_BLOCK + i).padStart(4, "0")}`;
      tags.push({ alias, address: `input-register:${register}:${kind.type}`, dataType: kind.type });
      register += kind.size;
    }
    for (let i = 0; i < BITS_PER_BLOCK; i++) {
      const alias = `alarm${String(block * TAGS_PER_BLOCK + i).padStart(4, "0")}`;
      tags.push({ alias, address: `discrete-input:${block * BIT_STRIDE + i + 1}`, dataType: "BOOL" });
    }
    return tags;
  });
}

/** The PLC's tags as `count` jobs of consecutive blocks; `count` divides BLOCKS_PER_PLC. */
export function plcJobs(count = BLOCKS_PER_PLC): BenchJob[] {
  if (!Number.isInteger(count) || count < 1 || BLOCKS_PER_PLC % count !== 0) {
    throw new RangeError(`jobs per PLC must divide ${BLOCKS_PER_PLC}, got ${count}`);
  }
  const blocks = plcBlocks();
  const per = BLOCKS_PER_PLC / count;
  return Array.from({ length: count }, (_, job) => ({
    name: `job${String(job).padStart(2, "0")}`,
    tags: blocks.slice(job * per, (job + 1) * per).flat(),
  }));
}

/** The name of PLC `index` (0-based), as source name and in topics. */
export function plcName(index: number): string {
  return `plc${String(index + 1).padStart(2, "0")}`;
}

// The 1,000-tag Modbus map of bench/modbus: mixed types in 11 clusters across holding registers, input registers and
// coils, with the gaps a real PLC's map has between groups of signals.

export type BenchArea = "holding-register" | "input-register" | "coil";

/** One cluster: tags packed back to back from `start` (1-based, as PLC4X addresses are). */
export interface Cluster {
  readonly area: BenchArea;
  readonly start: number;
  /** Registers (or coils) the cluster spans. */
  readonly length: number;
  readonly tags: readonly { readonly alias: string; readonly address: string; readonly size: number }[];
}

const REGISTER_TYPES = [
  { type: "INT", size: 1 },
  { type: "UINT", size: 1 },
  { type: "DINT", size: 2 },
  { type: "REAL", size: 2 },
  { type: "UDINT", size: 2 },
  { type: "WORD", size: 1 },
] as const;

function registerCluster(area: BenchArea, start: number, tagCount: number, first: number): Cluster {
  const tags: Cluster["tags"][number][] = [];
  let offset = 0;
  for (let i = 0; i < tagCount; i++) {
    const { type, size } = REGISTER_TYPES[(first + i) % REGISTER_TYPES.length] ?? REGISTER_TYPES[0];
    tags.push({
      alias: `${area === "holding-register" ? "hr" : "ir"}${first + i}`,
      address: `${area}:${start + offset}:${type}`,
      size,
    });
    offset += size;
  }
  return { area, start, length: offset, tags };
}

function coilCluster(start: number, count: number, first: number): Cluster {
  const tags = Array.from({ length: count }, (_, i) => ({
    alias: `coil${first + i}`,
    address: `coil:${start + i}`,
    size: 1,
  }));
  return { area: "coil", start, length: count, tags };
}

/**
 * 6 holding-register clusters and 3 input-register clusters of 38 tags (57 registers) each, 6 to 10 registers apart,
 * and 2 coil clusters of 329 coils 60 apart: 1,000 tags. One request per cluster is 11 requests; reading through the
 * gaps, two register clusters fit the 125 registers of one request and both coil clusters one request: 6 in all.
 */
export function benchMap(): Cluster[] {
  const clusters: Cluster[] = [];
  let tag = 0;
  let next = 100;
  for (const gap of [8, 6, 8, 10, 8, 0]) {
    const cluster = registerCluster("holding-register", next, 38, tag);
    clusters.push(cluster);
    tag += cluster.tags.length;
    next = cluster.start + cluster.length + gap;
  }
  next = 1000;
  for (const gap of [10, 8, 0]) {
    const cluster = registerCluster("input-register", next, 38, tag);
    clusters.push(cluster);
    tag += cluster.tags.length;
    next = cluster.start + cluster.length + gap;
  }
  next = 1;
  for (let i = 0; i < 2; i++) {
    const cluster = coilCluster(next, 329, tag);
    clusters.push(cluster);
    tag += cluster.tags.length;
    next = cluster.start + cluster.length + 60;
  }
  return clusters;
}

/** The map as a PLC4X tag request: `{ alias: address }`. */
export function benchTags(clusters: readonly Cluster[]): Record<string, string> {
  return Object.fromEntries(clusters.flatMap((c) => c.tags.map((t) => [t.alias, t.address])));
}

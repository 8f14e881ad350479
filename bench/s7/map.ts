// The S7 benchmark's tag maps: the public PLC4X benchmark's 19 tags over three DBs and M/I/Q, and a 500-tag map.
import { parseS7Address, type S7Address } from "../../src/plc/s7/address.ts";

/** One bench tag: its PLC4X address, parsed, and the same place in nodes7's syntax. */
export interface BenchTag {
  readonly alias: string;
  readonly address: string;
  readonly parsed: S7Address;
  readonly nodes7: string;
}

export interface Workload {
  readonly name: string;
  readonly tags: readonly BenchTag[];
}

const NODES7_TYPES: Readonly<Record<string, string>> = { REAL: "REAL", DINT: "DINT", INT: "INT" };
const AREA_PREFIX: Readonly<Record<string, string>> = { I: "I", Q: "Q", M: "M" };
const AREA_TYPES: Readonly<Record<string, string>> = { REAL: "R", DINT: "DI", INT: "I" };

function tag(alias: string, address: string): BenchTag {
  const parsed = parseS7Address(address);
  const at = parsed.byteOffset;
  let nodes7: string;
  if (parsed.area === "DB") {
    nodes7 =
      parsed.type === "BOOL"
        ? `DB${parsed.dbNumber},X${at}.${parsed.bitOffset}`
        : `DB${parsed.dbNumber},${NODES7_TYPES[parsed.type]}${at}`;
  } else {
    const area = AREA_PREFIX[parsed.area]!;
    nodes7 = parsed.type === "BOOL" ? `${area}${at}.${parsed.bitOffset}` : `${area}${AREA_TYPES[parsed.type]}${at}`;
  }
  return { alias, address, parsed, nodes7 };
}

/**
 * The shape of PLC4X's public S7 benchmark: 19 tags of BOOL, INT, DINT and REAL in three DBs and the marker, input and
 * output areas, each DB's tags close together as a PLC programmer declares them.
 */
export const NINETEEN: Workload = {
  name: "19 tags: 3 DBs + M/I/Q",
  tags: [
    tag("db1Real", "%DB1.DBD0:REAL"),
    tag("db1Int", "%DB1.DBW4:INT"),
    tag("db1Dint", "%DB1.DBD6:DINT"),
    tag("db1Bool", "%DB1.DBX10.0:BOOL"),
    tag("db1Real2", "%DB1.DBD12:REAL"),
    tag("db2Real", "%DB2.DBD0:REAL"),
    tag("db2Int", "%DB2.DBW4:INT"),
    tag("db2Dint", "%DB2.DBD6:DINT"),
    tag("db2Bool", "%DB2.DBX10.1:BOOL"),
    tag("db3Real", "%DB3.DBD0:REAL"),
    tag("db3Int", "%DB3.DBW4:INT"),
    tag("db3Dint", "%DB3.DBD6:DINT"),
    tag("db3Bool", "%DB3.DBX10.2:BOOL"),
    tag("m0", "%M0.0"),
    tag("mw2", "%MW2:INT"),
    tag("i0", "%I0.0"),
    tag("i1", "%I0.1"),
    tag("q0", "%Q0.0"),
    tag("q1", "%Q0.1:BOOL"),
  ],
};

const CYCLE = ["REAL", "DINT", "INT", "BOOL", "REAL"] as const;

/**
 * 500 tags in five DBs of 100: groups of 20 mixed tags packed back to back as a non-optimized DB lays them out, with 10
 * reserved bytes between groups, as PLC programmers leave room to grow.
 */
export const FIVE_HUNDRED: Workload = {
  name: "500 tags: 5 DBs of 100",
  tags: Array.from({ length: 5 }, (_, d) => {
    const db = 10 + d;
    const tags: BenchTag[] = [];
    let offset = 0;
    for (let i = 0; i < 100; i++) {
      if (i > 0 && i % 20 === 0) offset += 10;
      const type = CYCLE[i % CYCLE.length]!;
      if (type === "BOOL") {
        tags.push(tag(`db${db}_${i}`, `%DB${db}.DBX${offset}.0:BOOL`));
        offset += 2;
      } else {
        tags.push(tag(`db${db}_${i}`, `%DB${db}.DB${type === "INT" ? "W" : "D"}${offset}:${type}`));
        offset += type === "INT" ? 2 : 4;
      }
    }
    return tags;
  }).flat(),
};

export const WORKLOADS: readonly Workload[] = [NINETEEN, FIVE_HUNDRED];

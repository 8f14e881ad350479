// Seeded fuzzing of every format: random and mutated bytes give a row, a null record or SqlSerdeError, never a crash.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createSerde, type Serde, SqlSerdeError } from "../../../src/sql/serde/index.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { seededRandom } from "../../support/random.ts";
import { canonical } from "./canonical.ts";

interface Target {
  name: string;
  serde: Serde;
  /** Valid records to mutate, as UTF-8 text or, for binary formats, `hex:` and the bytes. */
  seeds: string[];
  /** False for a format that takes any bytes (KAFKA STRING): then no input is an error. */
  canFail?: boolean;
}

function serde(format: string, role: "key" | "value", columns: [string, string][], wrap?: boolean): Serde {
  return createSerde(
    format,
    columns.map(([name, type]) => ({ name, type: parseTypeText(type) })),
    { role, wrapSingleValue: wrap },
  );
}

const targets: Target[] = [
  {
    name: "JSON job record",
    serde: serde("JSON", "value", [
      ["TAGS", "STRUCT<`beltSpeed` DOUBLE, `count` BIGINT, RUNNING BOOLEAN, M DECIMAL(8, 3), B BYTES>"],
      ["TIMESTAMP", "TIMESTAMP"],
      ["QUALITY", "MAP<STRING, STRING>"],
      ["SERIES", "ARRAY<STRUCT<AT DATE, V TIME>>"],
      ["BY_ID", "MAP<INT, ARRAY<DOUBLE>>"],
    ]),
    seeds: [
      '{"tags":{"beltSpeed":1.5,"count":12,"running":true,"m":"12.345","b":"AQID"},"timestamp":1764000000000}',
      '{"quality":{"a":"GOOD"},"series":[{"at":20416,"v":3600000},{"at":"2025-11-24","v":"01:00"}],"by_id":{"7":[1.5,null]}}',
      '{"TAGS":{"count":"9007199254740993"},"TIMESTAMP":"2025-11-24T16:00:00Z"}',
    ],
  },
  {
    name: "JSON unwrapped value",
    serde: serde("JSON", "value", [["V", "ARRAY<MAP<STRING, DECIMAL(4, 1)>>"]], false),
    seeds: ['[{"a":1.5,"b":"2"},null,{}]', "[]"],
  },
  {
    name: "JSON struct key",
    serde: serde("JSON", "key", [["JOB", "STRUCT<`sourceName` STRING, `jobName` STRING>"]]),
    seeds: ['{"sourceName":"line1","jobName":"fast"}'],
  },
  { name: "KAFKA INT key", serde: serde("KAFKA", "key", [["ID", "INT"]]), seeds: ["hex:0000002a"] },
  { name: "KAFKA BIGINT", serde: serde("KAFKA", "value", [["N", "BIGINT"]]), seeds: ["hex:00000000000000ff"] },
  { name: "KAFKA DOUBLE", serde: serde("KAFKA", "value", [["T", "DOUBLE"]]), seeds: ["hex:400921fb54442d18"] },
  { name: "KAFKA STRING", serde: serde("KAFKA", "key", [["S", "STRING"]]), seeds: ["line1/press"], canFail: false },
  {
    name: "DELIMITED",
    serde: serde("DELIMITED", "value", [
      ["ID", "BIGINT"],
      ["NAME", "STRING"],
      ["AGE", "INT"],
      ["SCORE", "DECIMAL(5, 2)"],
      ["SEEN", "TIMESTAMP"],
      ["OK", "BOOLEAN"],
      ["RATE", "DOUBLE"],
      ["RAW", "BYTES"],
    ]),
    seeds: ["120,bob,49,1.50,1764000000000,true,0.5,AQID", '1,"Smith, J ""Jr""",3,,,,,'],
  },
];

const ALPHABET = '{}[]":,.-+eE0123456789 \\ntrufalsNI\'"AQ==\t\r\n\u00e9';

function mutate(seed: Uint8Array, next: () => number): Uint8Array {
  const bytes = [...seed];
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (bytes.length + 1));
    const choice = next();
    if (choice < 0.25) bytes.splice(at, 1);
    else if (choice < 0.5) bytes.splice(at, 0, ALPHABET.charCodeAt(Math.floor(next() * ALPHABET.length)));
    else if (choice < 0.7) bytes[at] = Math.floor(next() * 256);
    else if (choice < 0.85) bytes.splice(at, 0, ...bytes.slice(at, at + Math.floor(next() * 8)));
    else bytes.length = at;
  }
  return Uint8Array.from(bytes.filter((b) => b !== undefined));
}

function randomBytes(next: () => number): Uint8Array {
  const length = Math.floor(next() * 24);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = next() < 0.7 ? ALPHABET.charCodeAt(Math.floor(next() * ALPHABET.length)) : Math.floor(next() * 256);
  }
  return out;
}

for (const [index, target] of targets.entries()) {
  test(`fuzz ${target.name}: 3000 inputs decode to a row or SqlSerdeError, and rows survive a round trip`, () => {
    const next = seededRandom(0x5eed + index);
    const seeds = target.seeds.map((s) => (s.startsWith("hex:") ? Buffer.from(s.slice(4), "hex") : Buffer.from(s)));
    let rows = 0;
    let errors = 0;
    for (let i = 0; i < 3000; i++) {
      const input = next() < 0.8 ? mutate(seeds[i % seeds.length]!, next) : randomBytes(next);
      let row: ReturnType<Serde["decode"]>;
      try {
        row = target.serde.decode(input);
      } catch (error) {
        if (!(error instanceof SqlSerdeError) || error.code !== "SQL_SERDE") {
          assert.fail(`${target.name} threw ${String(error)} for ${Buffer.from(input).toString("hex")}`);
        }
        assert.ok(error.path.length > 0 && error.problem.length > 0);
        errors++;
        continue;
      }
      rows++;
      const again = target.serde.decode(target.serde.encode(row));
      assert.deepEqual(canonical(again), canonical(row), `round trip of ${Buffer.from(input).toString("hex")}`);
    }
    assert.ok(rows > 0, "some inputs decode");
    if (target.canFail !== false) assert.ok(errors > 0, "some inputs are errors");
  });
}

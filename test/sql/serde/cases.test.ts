// Runs every serde case in cases/*.json: bytes in, row (or typed error) out, and the row written back to bytes.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { createSerde, type SerdeColumn, SqlSerdeError } from "../../../src/sql/serde/index.ts";
import { type JsonValue, parseJsonExact } from "../../../src/sql/types/json-value.ts";
import { parseTypeText } from "../../../src/sql/types/type-text.ts";
import { canonical } from "./canonical.ts";
import { fromJsonValue } from "./expected-values.ts";

/**
 * A file names the format, the role (key or value), options, and the columns with types as SQL text. A case gives the
 * input as `text` (UTF-8), `hex`, or `isNull`; then either `row` (JSON values read in the columns' types, `null` for a
 * null record; DECIMALs as text) or `error` (path and problem, exactly). `roundtrip` says encoding the row gives the
 * input bytes back; `encodedText` / `encodedHex` give the bytes encoding writes when they differ from the input.
 */
interface CaseFile {
  format: string;
  role: "key" | "value";
  wrapSingleValue?: boolean;
  delimiter?: string;
  columns: { name: string; type: string }[];
  cases: Case[];
}

interface Case {
  name: string;
  text?: string;
  hex?: string;
  isNull?: boolean;
  row?: JsonValue[] | null;
  error?: { path: string; problem: string };
  roundtrip?: boolean;
  encodedText?: string;
  encodedHex?: string;
}

const dir = join(import.meta.dirname, "cases");

function inputOf(c: Case): Uint8Array | null {
  if (c.isNull) return null;
  if (c.hex !== undefined) return Buffer.from(c.hex, "hex");
  if (c.text !== undefined) return Buffer.from(c.text, "utf8");
  throw new Error(`case ${c.name} has no input`);
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const spec = parseJsonExact(readFileSync(join(dir, file), "utf8")) as unknown as CaseFile;
  const columns: SerdeColumn[] = spec.columns.map((c) => ({ name: c.name, type: parseTypeText(c.type) }));
  const serde = createSerde(spec.format, columns, {
    role: spec.role,
    wrapSingleValue: spec.wrapSingleValue,
    delimiter: spec.delimiter,
  });

  for (const c of spec.cases) {
    test(`${file}: ${c.name}`, () => {
      const input = inputOf(c);
      if (c.error) {
        assert.throws(
          () => serde.decode(input),
          (error: unknown) => {
            assert.ok(error instanceof SqlSerdeError, `expected SqlSerdeError, got ${String(error)}`);
            assert.equal(error.code, "SQL_SERDE");
            assert.equal(error.path, c.error!.path);
            assert.equal(error.problem, c.error!.problem);
            return true;
          },
        );
        return;
      }
      assert.ok(c.row !== undefined, `case ${c.name} expects neither a row nor an error`);
      const row = serde.decode(input);
      const expected = c.row === null ? null : c.row.map((v, i) => fromJsonValue(v, columns[i]!.type));
      assert.deepEqual(canonical(row), canonical(expected));

      const encoded = serde.encode(row);
      if (c.roundtrip) assert.deepEqual(hexOf(encoded), hexOf(input));
      if (c.encodedText !== undefined) assert.equal(encoded && Buffer.from(encoded).toString("utf8"), c.encodedText);
      if (c.encodedHex !== undefined) assert.equal(hexOf(encoded), c.encodedHex);
      assert.deepEqual(canonical(serde.decode(encoded)), canonical(row), "decoding what was encoded gives the row");
    });
  }
}

function hexOf(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : Buffer.from(bytes).toString("hex");
}

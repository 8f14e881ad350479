// Reads the JSON values of test case files as runtime values of a SQL type, through the JSON format's own decoder.

import { compileNodeDecoder } from "../../../src/sql/serde/json-decoders.ts";
import type { JsonValue } from "../../../src/sql/types/json-value.ts";
import type { SqlType } from "../../../src/sql/types/types.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";

/** `node` read as ksqlDB's JSON format reads a field of `type`; a case file with a value that does not fit fails. */
export function caseValue(node: JsonValue, type: SqlType): SqlValue {
  return node === null ? null : compileNodeDecoder(type)(node);
}

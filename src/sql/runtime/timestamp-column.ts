// Reads an event time out of a TIMESTAMP, BIGINT or STRING column, as WITH (TIMESTAMP=…, TIMESTAMP_FORMAT=…) declares.

import { parseInstant } from "../functions/datetime.ts";
import { parseIsoTimestamp } from "../types/temporal.ts";
import { formatType, type SqlType } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import { RecordFault, SqlRuntimeError } from "./errors.ts";

export type TimestampReader = (value: SqlValue) => number;

/**
 * Milliseconds since the epoch from the column's value; a STRING parses with `format` (Java-style pattern) or, without
 * one, as ISO-8601. NULL or unparseable text is a SQL_TIMESTAMP fault: the record has no event time and is skipped.
 */
export function compileTimestampReader(column: string, type: SqlType, format: string | undefined): TimestampReader {
  switch (type.kind) {
    case "TIMESTAMP":
      return (value) => (value === null ? missing(column) : (value as number));
    case "BIGINT":
      return (value) => (value === null ? missing(column) : Number(value as bigint));
    case "STRING":
      return (value) => {
        if (value === null) return missing(column);
        try {
          return format === undefined
            ? parseIsoTimestamp(value as string)
            : parseInstant("TIMESTAMP", value as string, format);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          throw new RecordFault(
            "SQL_TIMESTAMP",
            `column ${column}: cannot read a timestamp from ${JSON.stringify(value)}: ${why}`,
          );
        }
      };
    default:
      throw new SqlRuntimeError(
        "SQL_PLAN_UNSUPPORTED",
        `column ${column} of type ${formatType(type)} cannot give a timestamp; use TIMESTAMP, BIGINT or STRING`,
      );
  }
}

function missing(column: string): never {
  throw new RecordFault("SQL_TIMESTAMP", `column ${column} is NULL: the record has no event time`);
}

// The KAFKA format: one primitive column in the bytes Kafka's own serializers write (big-endian numbers, UTF-8 text).

import type { Row } from "../expressions/scope.ts";
import { formatType, type SqlType } from "../types/types.ts";
import type { SqlValue } from "../types/values.ts";
import { SqlSerdeError } from "./errors.ts";
import { nullRecord, type Serde, type SerdeColumn, type SerdeOptions } from "./serde.ts";

/** Kafka's IntegerSerializer, LongSerializer, DoubleSerializer, StringSerializer and BytesSerializer. */
interface PrimitiveCodec {
  /** The exact byte count the serializer writes, or undefined for text and bytes. */
  readonly width: number | undefined;
  read(bytes: Uint8Array): SqlValue;
  write(value: SqlValue): Uint8Array;
}

/** Java's `new String(bytes, UTF_8)` replaces malformed sequences with U+FFFD rather than failing, and so do we. */
const lenientUtf8 = new TextDecoder("utf-8");

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function fixed(width: number, write: (view: DataView, value: SqlValue) => void): (value: SqlValue) => Uint8Array {
  return (value) => {
    const out = new Uint8Array(width);
    write(view(out), value);
    return out;
  };
}

const CODECS: Partial<Record<SqlType["kind"], PrimitiveCodec>> = {
  INTEGER: {
    width: 4,
    read: (bytes) => view(bytes).getInt32(0),
    write: fixed(4, (v, value) => v.setInt32(0, value as number)),
  },
  BIGINT: {
    width: 8,
    read: (bytes) => view(bytes).getBigInt64(0),
    write: fixed(8, (v, value) => v.setBigInt64(0, value as bigint)),
  },
  DOUBLE: {
    width: 8,
    read: (bytes) => view(bytes).getFloat64(0),
    write: fixed(8, (v, value) => v.setFloat64(0, value as number)),
  },
  STRING: {
    width: undefined,
    read: (bytes) => lenientUtf8.decode(bytes),
    write: (value) => Buffer.from(value as string, "utf8"),
  },
  BYTES: {
    width: undefined,
    read: (bytes) => Uint8Array.prototype.slice.call(bytes),
    write: (value) => value as Uint8Array,
  },
};

/**
 * ksqlDB's KAFKA format carries exactly one column of INT, BIGINT, DOUBLE, STRING or BYTES (no BOOLEAN, DECIMAL,
 * temporal or nested types, no multi-column keys, no wrapping). Null bytes are a NULL column (for a value, a tombstone);
 * a fixed-width type with any other byte count is an error, as Kafka's deserializers raise one.
 */
export function createKafkaSerde(columns: readonly SerdeColumn[], options: SerdeOptions): Serde {
  if (columns.length !== 1) {
    throw new SqlSerdeError(
      "SQL_SERDE_SCHEMA",
      options.role,
      `the KAFKA format carries exactly one column, got ${columns.length}`,
    );
  }
  const column = columns[0]!;
  const codec = CODECS[column.type.kind];
  if (codec === undefined) {
    throw new SqlSerdeError(
      "SQL_SERDE_SCHEMA",
      `${options.role}.${column.name}`,
      `the KAFKA format cannot carry ${formatType(column.type)}; use INT, BIGINT, DOUBLE, STRING or BYTES`,
    );
  }
  const nullRow = nullRecord(columns, options);
  const path = `${options.role}.${column.name}`;
  const typeName = formatType(column.type);
  return {
    format: "KAFKA",
    decode(bytes): Row | null {
      if (bytes === null) return nullRow;
      if (codec.width !== undefined && bytes.length !== codec.width) {
        throw new SqlSerdeError(
          "SQL_SERDE",
          path,
          `expected ${codec.width} bytes of ${typeName}, found ${bytes.length} bytes`,
        );
      }
      return [codec.read(bytes)];
    },
    encode(row) {
      const value = row === null ? null : (row[0] ?? null);
      return value === null ? null : codec.write(value);
    },
  };
}

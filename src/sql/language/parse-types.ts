// Reads SQL types: primitives, DECIMAL(p, s), ARRAY<t>, MAP<k, v>, STRUCT<name t, ...> and names made with CREATE TYPE.
import type { SqlType, StructField } from "./ast.ts";
import type { TokenCursor } from "./cursor.ts";
import { PRIMITIVE_TYPES, TYPE_KEYWORDS } from "./keywords.ts";

/** The largest DECIMAL precision KSQL accepts (the type model's too: src/sql/types takes it from here). */
export const MAX_DECIMAL_PRECISION = 38;

export function parseType(cursor: TokenCursor): SqlType {
  return cursor.nested(() => parseTypeInner(cursor));
}

function parseTypeInner(cursor: TokenCursor): SqlType {
  const start = cursor.peek();
  if (start.kind === "word") {
    const primitive = PRIMITIVE_TYPES.get(start.value);
    if (primitive !== undefined) {
      cursor.next();
      return { kind: "Primitive", name: primitive, span: cursor.spanFrom(start) };
    }
    switch (start.value) {
      case "DECIMAL":
        return parseDecimal(cursor);
      case "ARRAY": {
        cursor.next();
        cursor.requireSymbol("<");
        const element = parseType(cursor);
        cursor.requireSymbol(">");
        return { kind: "Array", element, span: cursor.spanFrom(start) };
      }
      case "MAP": {
        cursor.next();
        cursor.requireSymbol("<");
        const key = parseType(cursor);
        cursor.requireSymbol(",");
        const value = parseType(cursor);
        cursor.requireSymbol(">");
        return { kind: "Map", key, value, span: cursor.spanFrom(start) };
      }
      case "STRUCT":
        return parseStruct(cursor);
    }
  }
  if (!cursor.isIdentifier()) {
    cursor.expect("a type");
    cursor.fail(TYPE_KEYWORDS);
  }
  const name = cursor.identifier();
  return { kind: "Named", name, span: name.span };
}

function parseDecimal(cursor: TokenCursor): SqlType {
  const start = cursor.next();
  cursor.requireSymbol("(");
  const precisionToken = cursor.peek();
  const precision = cursor.integer("a precision");
  cursor.requireSymbol(",");
  const scaleToken = cursor.peek();
  const scale = cursor.integer("a scale");
  cursor.requireSymbol(")");
  if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
    cursor.failAt(precisionToken, `DECIMAL precision must be between 1 and ${MAX_DECIMAL_PRECISION}, not ${precision}`);
  }
  if (scale > precision) cursor.failAt(scaleToken, `DECIMAL scale ${scale} is larger than its precision ${precision}`);
  return { kind: "Decimal", precision, scale, span: cursor.spanFrom(start) };
}

function parseStruct(cursor: TokenCursor): SqlType {
  const start = cursor.next();
  // `STRUCT<>` reaches us as the single symbol `<>`.
  if (cursor.isSymbol("<>")) {
    cursor.next();
    return { kind: "Struct", fields: [], span: cursor.spanFrom(start) };
  }
  cursor.requireSymbol("<");
  const fields: StructField[] = [];
  if (!cursor.acceptSymbol(">")) {
    do {
      const name = cursor.identifier();
      const type = parseType(cursor);
      fields.push({ name, type, span: cursor.spanFrom(name.span.start) });
    } while (cursor.acceptSymbol(","));
    cursor.requireSymbol(">");
  }
  return { kind: "Struct", fields, span: cursor.spanFrom(start) };
}

// The SQL type system's public surface: types, coercion, values, decimals, casts, JSON and state codecs.

export { canCast, castValue, compileCast, fitDecimal, javaDoubleToInt, javaDoubleToLong } from "./cast.ts";
export { canWiden, commonSuperType, commonTypeOf, wideningCost } from "./coercion.ts";
export { Decimal, type RoundingMode } from "./decimal.ts";
export { evalError, SqlFunctionError, type SqlFunctionErrorCode } from "./errors.ts";
export { type JsonValue, parseJsonExact, stringifyJson, toJsonText } from "./json-value.ts";
export { decodeState, encodeState, type StateValue, stateFromJson, stateToJson } from "./state-codec.ts";
export {
  formatIsoDate,
  formatIsoTime,
  formatIsoTimestamp,
  parseIsoDate,
  parseIsoTime,
  parseIsoTimestamp,
} from "./temporal.ts";
export { parseTypeText, type TypeSyntaxContext, typeFromSyntax } from "./type-text.ts";
export * from "./types.ts";
export { formatDouble, valueToText } from "./value-text.ts";
export {
  compareValues,
  isStruct,
  type SqlArg,
  type SqlLambda,
  type SqlStruct,
  type SqlValue,
  valueKey,
  valuesEqual,
} from "./values.ts";

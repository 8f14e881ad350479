// The SQL function library's public surface: registry, built-ins, user-function loading and the signature model.

export { aggregateFunctions, COLLECTION_LIMIT } from "./aggregates.ts";
export { builtinFunctions, createBuiltinRegistry } from "./builtins.ts";
export { formatInstant, parseInstant } from "./datetime.ts";
export { parseJsonPath } from "./json.ts";
export { type FunctionInfo, FunctionRegistry, type FunctionSource, type ResolvedFunction } from "./registry.ts";
export type {
  AggregateSignature,
  Aggregator,
  ArgType,
  FunctionDescription,
  FunctionKind,
  ParamType,
  ScalarImpl,
  ScalarSignature,
  TableSignature,
} from "./signature.ts";
export { loadUserFunctions } from "./udf-loader.ts";

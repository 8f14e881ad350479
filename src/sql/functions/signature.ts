// Function signatures: parameter types with generics and lambdas, the shapes of UDF/UDAF/UDTF descriptions, matching.

import { commonSuperType, wideningCost } from "../types/coercion.ts";
import type { StateValue } from "../types/state-codec.ts";
import { formatType, integralAsDecimal, type SqlType } from "../types/types.ts";
import type { SqlArg, SqlValue } from "../types/values.ts";

/** A parameter's type: a SQL type, or a pattern that several SQL types match. */
export type ParamType =
  | Exclude<SqlType, { kind: "ARRAY" } | { kind: "MAP" }>
  /** any DECIMAL(p, s); INTEGER and BIGINT widen to it */
  | { readonly kind: "ANY_DECIMAL" }
  /** a type variable: every occurrence of one name binds to one (common super) type */
  | { readonly kind: "GENERIC"; readonly name: string }
  | { readonly kind: "ARRAY"; readonly element: ParamType }
  | { readonly kind: "MAP"; readonly key: ParamType; readonly value: ParamType }
  /** a lambda argument taking `params` and returning `returns` */
  | { readonly kind: "LAMBDA"; readonly params: readonly ParamType[]; readonly returns: ParamType };

/** An argument's type as the analyzer knows it: a SQL type, an untyped NULL literal, or a lambda. */
export type ArgType =
  | SqlType
  | { readonly kind: "NULL" }
  /** `returns` is null while the lambda body is not typed yet (see FunctionRegistry.lambdaInputTypes) */
  | { readonly kind: "LAMBDA"; readonly arity: number; readonly returns: SqlType | null };

export type Bindings = Map<string, SqlType>;

/** A scalar implementation: called once per row with positional values (and compiled lambdas). */
export type ScalarImpl = (...args: SqlArg[]) => SqlValue;

export type ReturnRule = ParamType | ((argTypes: readonly ArgType[], bindings: Bindings) => SqlType);

interface SignatureBase {
  readonly params: readonly ParamType[];
  /** Parameter names for DESCRIBE FUNCTION. */
  readonly names?: readonly string[];
  /** The last parameter repeats zero or more times. */
  readonly variadic?: boolean;
  readonly returns: ReturnRule;
  readonly description?: string;
}

export interface ScalarSignature extends SignatureBase {
  /** Method syntax on purpose: implementations declare the narrow argument types they accept. */
  impl?(...args: never[]): SqlValue;
  /** For implementations that depend on argument types (TO_JSON_STRING formats a DATE differently from an INTEGER). */
  specialize?(argTypes: readonly SqlType[]): ScalarImpl;
}

/** An aggregate over one column; `S` must be JSON-serialisable with stateToJson (changelog topics). */
export interface Aggregator<S extends StateValue = StateValue> {
  init(): S;
  add(state: S, value: SqlValue): S;
  /** Retracts a value, for aggregations over tables; absent when ksqlDB allows the function on streams only. */
  undo?(state: S, value: SqlValue): S;
  /** Combines two states (session windows merging), `a` holding the earlier records. */
  merge?(a: S, b: S): S;
  result(state: S): SqlValue;
}

export interface AggregateSignature extends SignatureBase {
  /**
   * params[0] is the aggregated column (none for COUNT(*)); later params are literals given once per query
   * (TOPK's k, LATEST_BY_OFFSET's n and ignoreNulls), passed to `create`.
   */
  create(argTypes: readonly SqlType[], literals: readonly SqlValue[]): Aggregator;
}

export interface TableSignature extends SignatureBase {
  /** Returns the rows one input row expands to; [] for none. */
  impl?(...args: never[]): SqlValue[];
}

export type FunctionKind = "scalar" | "aggregate" | "table";

export type FunctionDescription =
  | Describe<"scalar", ScalarSignature>
  | Describe<"aggregate", AggregateSignature>
  | Describe<"table", TableSignature>;

interface Describe<K extends FunctionKind, S> {
  readonly name: string;
  readonly kind: K;
  readonly description: string;
  /** Grouping for SHOW FUNCTIONS (math, string, date/time, json, collections, lambda, null, aggregate, table). */
  readonly category?: string;
  readonly signatures: readonly S[];
}

/** The outcome of matching one signature: concrete parameter types per argument and the total widening cost. */
export interface SignatureMatch {
  readonly paramTypes: (SqlType | null)[];
  readonly lambdaInputs: (SqlType[] | null)[];
  readonly bindings: Bindings;
  readonly cost: number;
}

/** Matches arguments to a signature; null when they do not fit. Lambda returns are checked only when known. */
export function matchSignature(signature: SignatureBase, args: readonly ArgType[]): SignatureMatch | null {
  const { params, variadic } = signature;
  if (variadic ? args.length < params.length - 1 : args.length !== params.length) return null;
  const paramAt = (i: number) => params[Math.min(i, params.length - 1)]!;
  const bindings: Bindings = new Map();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const param = paramAt(i);
    if (arg.kind === "LAMBDA" || param.kind === "LAMBDA") continue;
    if (arg.kind !== "NULL" && !bind(param, arg, bindings)) return null;
  }
  const paramTypes: (SqlType | null)[] = [];
  const lambdaInputs: (SqlType[] | null)[] = [];
  let cost = 0;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const param = paramAt(i);
    if (param.kind === "LAMBDA" || arg.kind === "LAMBDA") {
      if (param.kind !== "LAMBDA" || arg.kind !== "LAMBDA" || arg.arity !== param.params.length) return null;
      const inputs = param.params.map((p) => resolve(p, bindings));
      if (inputs.some((t) => t === null)) return null;
      lambdaInputs.push(inputs as SqlType[]);
      if (arg.returns !== null && !bind(param.returns, arg.returns, bindings)) return null;
      paramTypes.push(null);
      continue;
    }
    lambdaInputs.push(null);
    const concrete = param.kind === "ANY_DECIMAL" ? resolveAnyDecimal(arg) : resolve(param, bindings);
    if (concrete === null && arg.kind !== "NULL") return null;
    if (concrete !== null && arg.kind !== "NULL") {
      const step = wideningCost(arg, concrete);
      if (step < 0) return null;
      cost += step;
    }
    paramTypes.push(concrete);
  }
  return { paramTypes, lambdaInputs, bindings, cost };
}

/** Unifies a parameter pattern with an argument type, binding generics to common super types. */
function bind(param: ParamType, arg: SqlType, bindings: Bindings): boolean {
  switch (param.kind) {
    case "GENERIC": {
      const bound = bindings.get(param.name);
      const next = bound ? commonSuperType(bound, arg) : arg;
      if (!next) return false;
      bindings.set(param.name, next);
      return true;
    }
    case "ANY_DECIMAL":
      return arg.kind === "DECIMAL" || arg.kind === "INTEGER" || arg.kind === "BIGINT";
    case "ARRAY":
      return arg.kind === "ARRAY" && bind(param.element, arg.element, bindings);
    case "MAP":
      return arg.kind === "MAP" && bind(param.key, arg.key, bindings) && bind(param.value, arg.value, bindings);
    case "LAMBDA":
      return false;
    default:
      return wideningCost(arg, param) >= 0;
  }
}

/** The concrete type of a pattern once generics are bound; ANY_DECIMAL resolves only through `resolveAnyDecimal`. */
export function resolve(param: ParamType, bindings: Bindings): SqlType | null {
  switch (param.kind) {
    case "GENERIC":
      return bindings.get(param.name) ?? null;
    case "ANY_DECIMAL":
      return null;
    case "ARRAY": {
      const element = resolve(param.element, bindings);
      return element ? { kind: "ARRAY", element } : null;
    }
    case "MAP": {
      const key = resolve(param.key, bindings);
      const value = resolve(param.value, bindings);
      return key && value ? { kind: "MAP", key, value } : null;
    }
    case "LAMBDA":
      return null;
    default:
      return param;
  }
}

/** ANY_DECIMAL parameters take the argument's own DECIMAL type (integers as DECIMAL(10|19, 0)). */
function resolveAnyDecimal(arg: ArgType): SqlType | null {
  if (arg.kind === "DECIMAL") return arg;
  if (arg.kind === "INTEGER" || arg.kind === "BIGINT") return integralAsDecimal(arg.kind);
  return null;
}

function formatParam(param: ParamType): string {
  switch (param.kind) {
    case "GENERIC":
      return param.name;
    case "ANY_DECIMAL":
      return "DECIMAL";
    case "ARRAY":
      return `ARRAY<${formatParam(param.element)}>`;
    case "MAP":
      return `MAP<${formatParam(param.key)}, ${formatParam(param.value)}>`;
    case "LAMBDA":
      return `LAMBDA (${param.params.map(formatParam).join(", ")}) => ${formatParam(param.returns)}`;
    default:
      return formatType(param);
  }
}

export function formatArg(arg: ArgType): string {
  if (arg.kind === "NULL") return "NULL";
  if (arg.kind === "LAMBDA") return `LAMBDA/${arg.arity}${arg.returns ? ` => ${formatType(arg.returns)}` : ""}`;
  return formatType(arg);
}

/** `SUBSTRING(str STRING, pos INTEGER) => STRING`, the line DESCRIBE FUNCTION prints per variation. */
/** One parameter of a signature as DESCRIBE FUNCTION shows it: its label (when declared), type text, variadic. */
export interface ParamInfo {
  readonly name: string | undefined;
  readonly type: string;
  readonly variadic: boolean;
}

/** A signature's parameters and return type as text, for DESCRIBE FUNCTION and for error messages. */
export function describeSignature(signature: SignatureBase): { params: ParamInfo[]; returns: string } {
  const params = signature.params.map((p, i) => ({
    name: signature.names?.[i],
    type: formatParam(p),
    variadic: signature.variadic === true && i === signature.params.length - 1,
  }));
  const returns = typeof signature.returns === "function" ? "(depends on arguments)" : formatParam(signature.returns);
  return { params, returns };
}

export function formatSignature(name: string, signature: SignatureBase): string {
  const { params, returns } = describeSignature(signature);
  const text = params.map((p) => `${p.name ? `${p.name} ${p.type}` : p.type}${p.variadic ? "..." : ""}`);
  return `${name}(${text.join(", ")}) => ${returns}`;
}

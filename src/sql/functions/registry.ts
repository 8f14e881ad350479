// The function registry: overload resolution with implicit widening, return types, DESCRIBE/SHOW FUNCTIONS data.

import { didYouMean } from "../language/near-miss.ts";
import { compileCast } from "../types/cast.ts";
import { SqlFunctionError } from "../types/errors.ts";
import { type SqlType, typesEqual } from "../types/types.ts";
import type { SqlArg, SqlValue } from "../types/values.ts";
import {
  type Aggregator,
  type ArgType,
  describeSignature,
  type FunctionDescription,
  type FunctionKind,
  formatArg,
  formatSignature,
  matchSignature,
  type ParamInfo,
  resolve,
  type ScalarImpl,
  type SignatureMatch,
} from "./signature.ts";

export type FunctionSource = { readonly kind: "builtin" } | { readonly kind: "user"; readonly path: string };

interface ResolvedBase {
  readonly name: string;
  readonly returnType: SqlType;
  /** Per argument, the type the implementation receives (null for lambdas and untyped NULLs). */
  readonly paramTypes: readonly (SqlType | null)[];
}

export type ResolvedFunction =
  | (ResolvedBase & { readonly kind: "scalar"; readonly invoke: ScalarImpl })
  | (ResolvedBase & {
      readonly kind: "aggregate";
      /** Makes the aggregator; `literals` are the values of the arguments after the column. */
      readonly create: (literals: readonly SqlValue[]) => Aggregator;
    })
  | (ResolvedBase & { readonly kind: "table"; readonly invoke: (...args: SqlArg[]) => SqlValue[] });

export interface FunctionInfo {
  readonly name: string;
  readonly kind: FunctionKind;
  readonly category: string;
  readonly description: string;
  readonly source: FunctionSource;
  /** One per variation: the line `ROUND(value DOUBLE, scale INTEGER) => DOUBLE`, and its parts. */
  readonly signatures: readonly {
    readonly text: string;
    readonly params: readonly ParamInfo[];
    readonly returns: string;
    readonly description: string | undefined;
  }[];
}

interface Entry {
  readonly description: FunctionDescription;
  readonly source: FunctionSource;
}

export class FunctionRegistry {
  readonly #entries = new Map<string, Entry>();

  /** Adds a function; names are case-insensitive. A second registration of a name fails unless `replace` is set. */
  register(description: FunctionDescription, source: FunctionSource = { kind: "builtin" }, replace = false): void {
    const name = description.name.toUpperCase();
    if (!replace && this.#entries.has(name)) {
      throw new SqlFunctionError("SQL_FUNCTION_EXISTS", `function ${name} is already registered`, { subject: name });
    }
    if (description.signatures.length === 0) {
      throw new SqlFunctionError("SQL_UDF_INVALID", `function ${name} has no signatures`, { subject: name });
    }
    this.#entries.set(name, { description: { ...description, name } as FunctionDescription, source });
  }

  has(name: string): boolean {
    return this.#entries.has(name.toUpperCase());
  }

  kindOf(name: string): FunctionKind | undefined {
    return this.#entries.get(name.toUpperCase())?.description.kind;
  }

  /**
   * Picks the variation of `name` that fits `args` with the fewest implicit widenings (the first registered on a
   * tie) and returns its return type and implementation. Arguments that need widening (INTEGER into a BIGINT
   * parameter) are converted before the implementation sees them.
   */
  lookup(name: string, args: readonly ArgType[]): ResolvedFunction {
    const entry = this.#entry(name);
    const { description } = entry;
    const best = this.#bestMatch(description, args);
    const signature = description.signatures[best.index]!;
    const { match } = best;
    const returnType =
      typeof signature.returns === "function"
        ? signature.returns(args, match.bindings)
        : resolve(signature.returns, match.bindings);
    if (!returnType) {
      throw new SqlFunctionError(
        "SQL_FUNCTION_ARGS",
        `${description.name}(${args.map(formatArg).join(", ")}): cannot infer the return type; cast NULL literals`,
        { subject: description.name },
      );
    }
    const base = { name: description.name, returnType, paramTypes: match.paramTypes };
    // Untyped NULLs and lambdas have no parameter type of their own; implementations see the return type there.
    const concreteArgs = match.paramTypes.map((p) => p ?? returnType);
    switch (description.kind) {
      case "scalar": {
        const sig = description.signatures[best.index]!;
        const impl = sig.specialize ? sig.specialize(concreteArgs) : (sig.impl as unknown as ScalarImpl);
        return { ...base, kind: "scalar", invoke: withCoercions(impl, args, match) };
      }
      case "table": {
        const impl = description.signatures[best.index]!.impl as unknown as (...a: SqlArg[]) => SqlValue[];
        return { ...base, kind: "table", invoke: withCoercions(impl, args, match) };
      }
      case "aggregate": {
        const sig = description.signatures[best.index]!;
        const columnCast = args.length > 0 ? coercionFor(args[0]!, match.paramTypes[0] ?? null) : null;
        return {
          ...base,
          kind: "aggregate",
          create: (literals) => {
            const aggregator = sig.create(concreteArgs, literals);
            return columnCast ? castingAggregator(aggregator, columnCast) : aggregator;
          },
        };
      }
    }
  }

  /**
   * The input types of each lambda argument (null for other arguments), so the analyzer can type lambda bodies
   * before calling `lookup` with their return types filled in.
   */
  lambdaInputTypes(name: string, args: readonly ArgType[]): (SqlType[] | null)[] {
    const entry = this.#entry(name);
    const open = args.map((a) => (a.kind === "LAMBDA" ? { ...a, returns: null } : a));
    return this.#bestMatch(entry.description, open).match.lambdaInputs;
  }

  describe(name: string): FunctionInfo {
    return info(this.#entry(name));
  }

  /** SHOW FUNCTIONS: every function, sorted by name. */
  list(): FunctionInfo[] {
    return [...this.#entries.values()].map(info).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  #entry(name: string): Entry {
    const entry = this.#entries.get(name.toUpperCase());
    if (entry) return entry;
    throw new SqlFunctionError(
      "SQL_UNKNOWN_FUNCTION",
      `unknown function ${name.toUpperCase()}${didYouMean(name, this.#entries.keys())}`,
      { subject: name.toUpperCase() },
    );
  }

  #bestMatch(description: FunctionDescription, args: readonly ArgType[]): { index: number; match: SignatureMatch } {
    let best: { index: number; match: SignatureMatch } | null = null;
    description.signatures.forEach((signature, index) => {
      const match = matchSignature(signature, args);
      if (match && (!best || match.cost < best.match.cost)) best = { index, match };
    });
    if (best) return best;
    const expected = description.signatures.map((s) => `  ${formatSignature(description.name, s)}`).join("\n");
    throw new SqlFunctionError(
      "SQL_FUNCTION_ARGS",
      `${description.name}(${args.map(formatArg).join(", ")}) matches no signature; expected one of:\n${expected}`,
      { subject: description.name },
    );
  }
}

type Coercion = (value: SqlValue) => SqlValue;

function coercionFor(arg: ArgType, param: SqlType | null): Coercion | null {
  if (param === null || arg.kind === "NULL" || arg.kind === "LAMBDA") return null;
  return typesEqual(arg, param) ? null : compileCast(arg, param);
}

function withCoercions<R>(
  impl: (...args: SqlArg[]) => R,
  args: readonly ArgType[],
  match: SignatureMatch,
): (...args: SqlArg[]) => R {
  const casts = args.map((a, i) => coercionFor(a, match.paramTypes[i] ?? null));
  if (casts.every((c) => c === null)) return impl;
  return (...values) => {
    for (let i = 0; i < casts.length; i++) {
      const cast = casts[i];
      if (cast) values[i] = cast(values[i] as SqlValue);
    }
    return impl(...values);
  };
}

function castingAggregator(inner: Aggregator, cast: Coercion): Aggregator {
  const undo = inner.undo;
  return {
    init: () => inner.init(),
    add: (state, value) => inner.add(state, cast(value)),
    ...(undo ? { undo: (state, value) => undo.call(inner, state, cast(value)) } : {}),
    ...(inner.merge ? { merge: inner.merge.bind(inner) } : {}),
    result: (state) => inner.result(state),
  };
}

function info(entry: Entry): FunctionInfo {
  const d = entry.description;
  return {
    name: d.name,
    kind: d.kind,
    category: d.category ?? d.kind,
    description: d.description,
    source: entry.source,
    signatures: d.signatures.map((s) => ({
      text: formatSignature(d.name, s),
      ...describeSignature(s),
      description: s.description,
    })),
  };
}

// The expression checker: types a KSQL expression against a scope and the function registry, once per query.

import type { FunctionRegistry, ResolvedFunction } from "../functions/registry.ts";
import type { ArgType } from "../functions/signature.ts";
import type { Expression, Identifier, Span } from "../language/ast.ts";
import { didYouMean } from "../language/near-miss.ts";
import { canCast, compileCast } from "../types/cast.ts";
import { canWiden, commonTypeOf } from "../types/coercion.ts";
import { Decimal } from "../types/decimal.ts";
import { SqlFunctionError } from "../types/errors.ts";
import {
  arrayType,
  BIGINT,
  BOOLEAN,
  DOUBLE,
  decimalType,
  INTEGER,
  mapType,
  type SqlType,
  STRING,
  structType,
} from "../types/types.ts";
import { coerce, typeName } from "./coerce.ts";
import { declaredType, typeOrFail } from "./declared-type.ts";
import { SqlSemanticError, type SqlSemanticErrorCode } from "./errors.ts";
import { findColumn, pseudoColumn, type Scope } from "./scope.ts";
import * as operators from "./type-operators.ts";
import type { TypedExpression } from "./typed.ts";

export type FunctionCallExpression = Extract<Expression, { kind: "FunctionCall" }>;

/** An aggregate call met while typing, handed to the caller (the analyzer decides where its result lives). */
export interface AggregateCall {
  readonly call: FunctionCallExpression;
  /** The typed arguments (the aggregated column first, then the literal parameters). */
  readonly args: readonly TypedExpression[];
  readonly resolved: Extract<ResolvedFunction, { kind: "aggregate" }>;
}

export interface TypeCheckOptions {
  /** The text the expression was parsed from, so that errors say line:column. */
  readonly text?: string;
  /**
   * Called for each aggregate call instead of compiling it; returns the row index where the caller will put the
   * aggregate's result, which the expression then reads like a column. Without it, an aggregate is an error.
   */
  readonly onAggregate?: (aggregate: AggregateCall) => number;
}

/** Types `expression`; throws SqlSemanticError (with a stable code and line:column) when it cannot. */
export function typeCheck(
  expression: Expression,
  scope: Scope,
  registry: FunctionRegistry,
  options: TypeCheckOptions = {},
): TypedExpression {
  return new Checker(scope, registry, options).check(expression);
}

interface LambdaParam {
  readonly slot: number;
  readonly type: SqlType;
}

class Checker implements operators.CheckContext {
  readonly #scope: Scope;
  readonly #registry: FunctionRegistry;
  readonly #options: TypeCheckOptions;
  /** Innermost lambda last; a lambda parameter hides a column of the same name. */
  readonly #lambdas: Map<string, LambdaParam>[] = [];
  #nextSlot = 0;

  constructor(scope: Scope, registry: FunctionRegistry, options: TypeCheckOptions) {
    this.#scope = scope;
    this.#registry = registry;
    this.#options = options;
  }

  fail(code: SqlSemanticErrorCode, problem: string, span: Span, cause?: unknown): never {
    throw new SqlSemanticError(code, problem, span, this.#options.text, cause);
  }

  /** Literals convert while typing (`ts = '2026-…'`); one that cannot convert is an error before any row flows. */
  check(e: Expression): TypedExpression {
    try {
      return this.#node(e);
    } catch (error) {
      if (!(error instanceof SqlFunctionError && error.code === "SQL_CAST")) throw error;
      return this.fail("SQL_INVALID_LITERAL", error.message, e.span, error);
    }
  }

  #node(e: Expression): TypedExpression {
    switch (e.kind) {
      case "NullLiteral":
        return { kind: "Literal", expression: e, type: null, value: null };
      case "BooleanLiteral":
        return { kind: "Literal", expression: e, type: BOOLEAN, value: e.value };
      case "StringLiteral":
        return { kind: "Literal", expression: e, type: STRING, value: e.value };
      case "IntegerLiteral":
        return e.type === "INT"
          ? { kind: "Literal", expression: e, type: INTEGER, value: Number(e.value) }
          : { kind: "Literal", expression: e, type: BIGINT, value: BigInt(e.value) };
      case "DecimalLiteral": {
        const value = Decimal.parse(e.value);
        const precision = Math.max(value.precision(), value.scale, 1);
        const type = typeOrFail(() => decimalType(precision, value.scale), e.span, this);
        return { kind: "Literal", expression: e, type, value };
      }
      case "DoubleLiteral":
        return { kind: "Literal", expression: e, type: DOUBLE, value: e.value };
      case "ColumnRef":
        return this.#column(e);
      case "Dereference":
        return this.#dereference(e);
      case "Subscript":
        return this.#subscript(e);
      case "FunctionCall":
        return this.#call(e);
      case "Lambda":
        return this.fail("SQL_TYPE_MISMATCH", "a lambda is allowed only as a function argument", e.span);
      case "Negate":
        return operators.typeNegate(this, e);
      case "Arithmetic":
        return operators.typeArithmetic(this, e);
      case "Concat":
        return operators.typeConcat(this, e);
      case "Comparison":
        return operators.typeComparison(this, e);
      case "IsNull":
        return { kind: "IsNull", expression: e, type: BOOLEAN, operand: this.check(e.operand), negated: e.negated };
      case "IsDistinctFrom":
        return operators.typeIsDistinctFrom(this, e);
      case "Between":
        return operators.typeBetween(this, e);
      case "InList":
        return operators.typeInList(this, e);
      case "Like":
        return operators.typeLike(this, e);
      case "Not":
        return operators.typeNot(this, e);
      case "Logical":
        return operators.typeLogical(this, e);
      case "Case":
        return this.#case(e);
      case "Cast":
        return this.#cast(e);
      case "ArrayConstructor":
        return this.#array(e);
      case "MapConstructor":
        return this.#map(e);
      case "StructConstructor":
        return this.#struct(e);
    }
  }

  #column(e: Extract<Expression, { kind: "ColumnRef" }>): TypedExpression {
    const name = e.name.value;
    if (e.source === undefined) {
      for (let i = this.#lambdas.length - 1; i >= 0; i--) {
        const param = this.#lambdas[i]!.get(name);
        if (param) return { kind: "LambdaParam", expression: e, type: param.type, slot: param.slot };
      }
    }
    const match = findColumn(this.#scope, name, e.source?.value);
    if (match.kind === "found") {
      return { kind: "Column", expression: e, type: this.#scope.columns[match.index]!.type, index: match.index, name };
    }
    if (match.kind === "ambiguous") {
      this.fail(
        "SQL_AMBIGUOUS_COLUMN",
        `column ${name} is ambiguous: it is in ${match.sources.join(" and ")}; qualify it as source.${name}`,
        e.span,
      );
    }
    const pseudo = pseudoColumn(name, this.#scope);
    if (pseudo) return { kind: "Pseudo", expression: e, type: pseudo.type, column: pseudo.column };
    const qualified = e.source ? `${e.source.value}.${name}` : name;
    const candidates = this.#scope.columns
      .filter((c) => e.source === undefined || c.source === e.source.value)
      .map((c) => c.name)
      .concat(this.#lambdas.flatMap((frame) => [...frame.keys()]));
    this.fail("SQL_UNKNOWN_COLUMN", `unknown column ${qualified}${didYouMean(name, candidates)}`, e.span);
  }

  #dereference(e: Extract<Expression, { kind: "Dereference" }>): TypedExpression {
    const base = this.check(e.base);
    if (base.type?.kind !== "STRUCT") {
      return this.fail("SQL_TYPE_MISMATCH", `operator -> needs a STRUCT, got ${typeName(base.type)}`, e.span);
    }
    const name = e.field.value;
    const field = base.type.fields.find((f) => f.name === name);
    if (!field) {
      this.fail(
        "SQL_UNKNOWN_FIELD",
        `${typeName(base.type)} has no field ${name}${didYouMean(
          name,
          base.type.fields.map((f) => f.name),
        )}`,
        e.field.span,
      );
    }
    return { kind: "Dereference", expression: e, type: field.type, base, field: name };
  }

  #subscript(e: Extract<Expression, { kind: "Subscript" }>): TypedExpression {
    const base = this.check(e.base);
    const index = this.check(e.index);
    const type = base.type;
    if (type?.kind === "ARRAY") {
      if (index.type !== null && index.type.kind !== "INTEGER") {
        this.fail("SQL_TYPE_MISMATCH", `an ARRAY index must be INTEGER, got ${typeName(index.type)}`, e.index.span);
      }
      const typedIndex = coerce(index, INTEGER);
      return { kind: "Subscript", expression: e, type: type.element, base, index: typedIndex, container: "ARRAY" };
    }
    if (type?.kind === "MAP") {
      const key = index.type === null ? coerce(index, type.key) : this.#widen(index, type.key, "a MAP key");
      return { kind: "Subscript", expression: e, type: type.value, base, index: key, container: "MAP" };
    }
    return this.fail("SQL_TYPE_MISMATCH", `[] needs an ARRAY or a MAP, got ${typeName(type)}`, e.span);
  }

  /** `node` widened implicitly to `target` (an INTEGER key into a MAP<BIGINT, …>), or a type mismatch. */
  #widen(node: TypedExpression, target: SqlType, what: string): TypedExpression {
    if (node.type !== null && !canWiden(node.type, target)) {
      this.fail(
        "SQL_TYPE_MISMATCH",
        `${what} must be ${typeName(target)}, got ${typeName(node.type)}`,
        node.expression.span,
      );
    }
    return coerce(node, target);
  }

  #call(e: FunctionCallExpression): TypedExpression {
    const name = e.name.value;
    const args: (TypedExpression | null)[] = e.args.map((arg) => (arg.kind === "Lambda" ? null : this.check(arg)));
    const argTypes: ArgType[] = e.args.map((arg, i) =>
      arg.kind === "Lambda"
        ? { kind: "LAMBDA", arity: arg.params.length, returns: null }
        : (args[i]!.type ?? { kind: "NULL" }),
    );
    if (e.args.some((arg) => arg.kind === "Lambda")) {
      const inputs = this.#registryCall(e, () => this.#registry.lambdaInputTypes(name, argTypes));
      e.args.forEach((arg, i) => {
        if (arg.kind !== "Lambda") return;
        const lambda = this.#lambda(arg, inputs[i] ?? []);
        args[i] = lambda;
        argTypes[i] = { kind: "LAMBDA", arity: arg.params.length, returns: lambda.type };
      });
    }
    const resolved = this.#registryCall(e, () => this.#registry.lookup(name, argTypes));
    const typedArgs = args as TypedExpression[];
    switch (resolved.kind) {
      case "scalar":
        return {
          kind: "Call",
          expression: e,
          type: resolved.returnType,
          name: resolved.name,
          args: typedArgs,
          invoke: resolved.invoke,
        };
      case "aggregate": {
        const { onAggregate } = this.#options;
        if (!onAggregate) {
          return this.fail("SQL_FUNCTION_CONTEXT", `aggregate function ${resolved.name} is not allowed here`, e.span);
        }
        const index = onAggregate({ call: e, args: typedArgs, resolved });
        return { kind: "Column", expression: e, type: resolved.returnType, index, name: resolved.name };
      }
      case "table":
        return this.fail(
          "SQL_FUNCTION_CONTEXT",
          `table function ${resolved.name} is allowed only as a column of SELECT, not inside an expression`,
          e.span,
        );
    }
  }

  /** Types a lambda body with its parameters bound to the types the function feeds it. */
  #lambda(
    e: Extract<Expression, { kind: "Lambda" }>,
    inputs: readonly SqlType[],
  ): TypedExpression & { kind: "Lambda" } {
    if (inputs.length !== e.params.length) {
      this.fail("SQL_FUNCTION_ARGS", `lambda takes ${inputs.length} parameters, got ${e.params.length}`, e.span);
    }
    const frame = new Map<string, LambdaParam>();
    const slots = e.params.map((param: Identifier, i) => {
      const slot = this.#nextSlot++;
      frame.set(param.value, { slot, type: inputs[i]! });
      return slot;
    });
    this.#lambdas.push(frame);
    try {
      const body = this.check(e.body);
      return { kind: "Lambda", expression: e, type: body.type, slots, body };
    } finally {
      this.#lambdas.pop();
    }
  }

  /** Registry errors keep their code and gain the position of the call. */
  #registryCall<T>(e: FunctionCallExpression, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof SqlFunctionError)) throw error;
      const code = error.code === "SQL_UNKNOWN_FUNCTION" ? "SQL_UNKNOWN_FUNCTION" : "SQL_FUNCTION_ARGS";
      return this.fail(code, error.message, e.span, error);
    }
  }

  #case(e: Extract<Expression, { kind: "Case" }>): TypedExpression {
    const operand = e.operand ? this.check(e.operand) : undefined;
    const conditions = e.whens.map((w) =>
      operand
        ? operators.equalityOf(this, w.when, operand, this.check(w.when))
        : operators.booleanOperand(this, "WHEN", w.when),
    );
    const results = e.whens.map((w) => this.check(w.then));
    const otherwise = e.else ? this.check(e.else) : undefined;
    const all = otherwise ? [...results, otherwise] : results;
    const type = this.#common(all, "CASE", e.span);
    const fit = (node: TypedExpression) => (type === null ? node : coerce(node, type));
    return {
      kind: "Case",
      expression: e,
      type,
      whens: conditions.map((when, i) => ({ when, result: fit(results[i]!) })),
      else: otherwise ? fit(otherwise) : undefined,
    };
  }

  /** The common super type of CASE results or constructor elements; a type mismatch names the construct. */
  #common(nodes: readonly TypedExpression[], what: string, span: Span): SqlType | null {
    try {
      return commonTypeOf(
        nodes.map((n) => n.type),
        what,
      );
    } catch (error) {
      const types = nodes.map((n) => typeName(n.type)).join(", ");
      return this.fail("SQL_TYPE_MISMATCH", `${what} has no common type for ${types}`, span, error);
    }
  }

  #cast(e: Extract<Expression, { kind: "Cast" }>): TypedExpression {
    const target = declaredType(e.type, this);
    const operand = this.check(e.operand);
    if (operand.type === null) return coerce(operand, target);
    if (!canCast(operand.type, target)) {
      this.fail("SQL_TYPE_MISMATCH", `cannot CAST ${typeName(operand.type)} to ${typeName(target)}`, e.span);
    }
    const convert = compileCast(operand.type, target);
    return { kind: "Convert", expression: e, type: target, operand, convert, implicit: false };
  }

  #array(e: Extract<Expression, { kind: "ArrayConstructor" }>): TypedExpression {
    const elements = e.elements.map((x) => this.check(x));
    const element = this.#common(elements, "ARRAY[...]", e.span);
    if (element === null) {
      return this.fail("SQL_CANNOT_INFER_TYPE", "cannot tell the element type of ARRAY[...]; CAST it", e.span);
    }
    return {
      kind: "ArrayConstructor",
      expression: e,
      type: arrayType(element),
      elements: elements.map((x) => coerce(x, element)),
    };
  }

  #map(e: Extract<Expression, { kind: "MapConstructor" }>): TypedExpression {
    const keys = e.entries.map((entry) => this.check(entry.key));
    const values = e.entries.map((entry) => this.check(entry.value));
    const key = this.#common(keys, "MAP(...) keys", e.span);
    const value = this.#common(values, "MAP(...) values", e.span);
    if (key === null || value === null) {
      return this.fail("SQL_CANNOT_INFER_TYPE", "cannot tell the key and value types of MAP(...); CAST them", e.span);
    }
    const type = typeOrFail(() => mapType(key, value), e.span, this);
    const entries = keys.map((k, i) => ({ key: coerce(k, key), value: coerce(values[i]!, value) }));
    return { kind: "MapConstructor", expression: e, type, entries };
  }

  #struct(e: Extract<Expression, { kind: "StructConstructor" }>): TypedExpression {
    const fields = e.fields.map((f) => {
      const value = this.check(f.value);
      if (value.type === null) {
        this.fail("SQL_CANNOT_INFER_TYPE", `cannot tell the type of field ${f.name.value}; CAST the NULL`, f.span);
      }
      return { name: f.name.value, value };
    });
    const type = typeOrFail(() => structType(fields.map((f) => ({ name: f.name, type: f.value.type! }))), e.span, this);
    return { kind: "StructConstructor", expression: e, type, fields };
  }
}

// GROUP BY, WINDOW, HAVING and aggregate calls: the aggregate stage, its rekey, and expressions over aggregated rows.

import { SqlSemanticError } from "../expressions/errors.ts";
import type { Scope, ScopeColumn } from "../expressions/scope.ts";
import { type AggregateCall, typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { Aggregator } from "../functions/signature.ts";
import type { Expression, Query } from "../language/ast.ts";
import type { AggregateSpec, AggregateStage, RekeyStage, WindowPlan } from "../plan/plan.ts";
import { SqlFunctionError } from "../types/errors.ts";
import type { SqlValue } from "../types/values.ts";
import { computeConstant } from "./constants.ts";
import type { Fail } from "./errors.ts";
import { keyPart, type ResultKey } from "./result-key.ts";
import { appendColumns, columnRead } from "./scopes.ts";
import { fingerprint, isConstant, mapTyped, someNode } from "./typed-tree.ts";
import { windowPlan } from "./windows.ts";

export interface AggregationContext {
  readonly text: string;
  readonly registry: FunctionRegistry;
  readonly fail: Fail;
}

/** What the aggregation reads: the rows after WHERE, their key, and whether they come from a table. */
export interface AggregationInput {
  readonly scope: Scope;
  readonly key: ResultKey;
  readonly fromTable: boolean;
}

/**
 * Built in three steps: the constructor types GROUP BY and WINDOW; `type` types each SELECT item and HAVING, meeting
 * the aggregate calls; `stage` then has every aggregate and makes the stage.
 */
export class Aggregation {
  readonly rekey: RekeyStage | undefined;
  readonly window: WindowPlan | undefined;
  readonly key: ResultKey;
  readonly #context: AggregationContext;
  readonly #input: AggregationInput;
  /** The GROUP BY expressions over the input scope, and their fingerprints. */
  readonly #groupBy: readonly TypedExpression[];
  readonly #groupPrints: readonly string[];
  /** How the aggregate stage reads each group key: the GROUP BY expression, or its slot after the rekey. */
  readonly #groupReads: readonly TypedExpression[];
  /** What the projection types against: the aggregate stage's input, windowed when the result is. */
  readonly #itemScope: Scope;
  readonly #groupColumns: readonly ScopeColumn[];
  readonly #aggregates: AggregateSpec[] = [];
  readonly #aggregatePrints: string[] = [];

  constructor(query: Query & { groupBy: readonly Expression[] }, input: AggregationInput, context: AggregationContext) {
    const { fail, text, registry } = context;
    this.#context = context;
    this.#input = input;
    if (query.window && input.fromTable) {
      fail(
        "SQL_INVALID_WINDOW",
        "WINDOW applies to streams: a table's rows have no event time to window by",
        query.window.span,
      );
    }
    if (input.scope.windowed) {
      fail("SQL_UNSUPPORTED", "GROUP BY over a windowed source is not supported yet", query.groupBy[0]!.span);
    }
    this.window = query.window ? windowPlan(query.window, fail) : undefined;
    this.#groupBy = query.groupBy.map((e) =>
      typeCheck(e, input.scope, registry, {
        text,
        onAggregate: (call) => fail("SQL_INVALID_AGGREGATE", "GROUP BY cannot hold an aggregate", call.call.span),
      }),
    );
    this.#groupPrints = this.#groupBy.map(fingerprint);
    const keyed = sameKey(this.#groupPrints, input.key);
    let aggregateInput = input.scope;
    let groupReads = this.#groupBy;
    if (!keyed) {
      const appended = appendColumns(
        input.scope,
        this.#groupBy.map((g) => g.type ?? fail("SQL_INVALID_AGGREGATE", "cannot GROUP BY NULL", g.expression.span)),
      );
      this.rekey = { reason: "GROUP BY", key: this.#groupBy, scope: appended.scope };
      aggregateInput = appended.scope;
      groupReads = this.#groupBy.map((g, i) => columnRead(appended.scope, appended.first + i, g.expression));
    }
    this.#groupReads = groupReads;
    this.#itemScope = { ...aggregateInput, windowed: this.window !== undefined };
    this.#groupColumns = this.#groupBy.map((g, i) => ({ name: `KSQL_GROUP_${i}`, type: g.type! }));
    const groupScope: Scope = { columns: this.#groupColumns };
    this.key = {
      parts: this.#groupBy.map((g, i) => keyPart(columnRead(groupScope, i, g.expression))),
      origin: "GROUP BY expression",
      required: true,
    };
  }

  /** A SELECT item or HAVING, typed over the aggregated row: group keys read from their slots, aggregates from theirs. */
  type(expression: Expression): TypedExpression {
    const { text, registry } = this.#context;
    const typed = typeCheck(expression, this.#itemScope, registry, {
      text,
      onAggregate: (call) => this.#aggregate(call),
    });
    return this.overGroups(typed);
  }

  /** An expression over the aggregate's input rewritten to read the aggregated row; other columns are errors. */
  overGroups(typed: TypedExpression): TypedExpression {
    const { fail } = this.#context;
    const groupScope: Scope = { columns: this.#groupColumns };
    return mapTyped(typed, (node) => {
      // An aggregate's result reads the aggregated row already (its index may equal an input column's: test it first).
      if (node.kind === "Column" && node.expression.kind === "FunctionCall") return node;
      const group = this.#groupPrints.indexOf(fingerprint(node));
      if (group >= 0) return columnRead(groupScope, group, node.expression);
      if (node.kind === "Column") {
        return fail(
          "SQL_NOT_IN_GROUP_BY",
          `column ${node.name} is neither in GROUP BY nor inside an aggregate function`,
          node.expression.span,
        );
      }
      if (node.kind === "Pseudo" && node.column !== "WINDOWSTART" && node.column !== "WINDOWEND") {
        return fail(
          "SQL_NOT_IN_GROUP_BY",
          `${node.column} is neither in GROUP BY nor inside an aggregate function`,
          node.expression.span,
        );
      }
      return undefined;
    });
  }

  get aggregateCount(): number {
    return this.#aggregates.length;
  }

  stage(having: TypedExpression | undefined): AggregateStage {
    const scope: Scope = {
      columns: [...this.#groupColumns, ...this.#aggregates.map((a, i) => ({ name: `KSQL_AGG_${i}`, type: a.type }))],
      ...(this.window ? { windowed: true } : {}),
    };
    return {
      groupBy: this.#groupReads,
      aggregates: this.#aggregates,
      ...(this.window ? { window: this.window } : {}),
      scope,
      ...(having ? { having } : {}),
    };
  }

  /** Registers one aggregate call (the same call twice shares a slot) and returns its slot in the aggregated row. */
  #aggregate(call: AggregateCall): number {
    const { fail } = this.#context;
    const name = call.resolved.name;
    const nested = call.args.find((arg) =>
      someNode(arg, (n) => n.kind === "Column" && n.expression.kind === "FunctionCall"),
    );
    if (nested)
      fail("SQL_INVALID_AGGREGATE", `aggregate functions cannot be nested inside ${name}`, nested.expression.span);
    const bound = call.args.find((arg) =>
      someNode(arg, (n) => n.kind === "Pseudo" && (n.column === "WINDOWSTART" || n.column === "WINDOWEND")),
    );
    if (bound) {
      fail(
        "SQL_INVALID_AGGREGATE",
        `a window bound is known only after aggregation, not inside ${name}`,
        bound.expression.span,
      );
    }
    const print = `${name}(${call.args.map(fingerprint).join(",")})`;
    const known = this.#aggregatePrints.indexOf(print);
    if (known >= 0) return this.#groupBy.length + known;
    const literals = call.args.slice(1).map((arg) => this.#constant(arg, name));
    const create = () => call.resolved.create(literals);
    this.#check(this.#created(create, call), call);
    this.#aggregates.push({
      name,
      ...(call.args[0] ? { argument: call.args[0] } : {}),
      create,
      type: call.resolved.returnType,
    });
    this.#aggregatePrints.push(print);
    return this.#groupBy.length + this.#aggregates.length - 1;
  }

  #constant(arg: TypedExpression, name: string): SqlValue {
    const { fail } = this.#context;
    if (!isConstant(arg)) {
      fail("SQL_INVALID_AGGREGATE", `${name}'s arguments after the first must be constants`, arg.expression.span);
    }
    return computeConstant(arg, fail);
  }

  /** Makes one aggregator now, so that bad constants (TOPK's k of 0) fail the statement rather than a record. */
  #created(create: () => Aggregator, call: AggregateCall): Aggregator {
    try {
      return create();
    } catch (error) {
      if (!(error instanceof SqlFunctionError)) throw error;
      throw new SqlSemanticError("SQL_FUNCTION_ARGS", error.message, call.call.span, this.#context.text, error);
    }
  }

  /** A table's changes retract old rows (undo); session windows merge (merge). */
  #check(aggregator: Aggregator, call: AggregateCall): void {
    const { fail } = this.#context;
    const name = call.resolved.name;
    if (this.#input.fromTable && !aggregator.undo) {
      fail(
        "SQL_INVALID_AGGREGATE",
        `${name} cannot aggregate a table: it cannot take back the old value of a changed row; aggregate a stream`,
        call.call.span,
      );
    }
    if (this.window?.kind === "SESSION" && !aggregator.merge) {
      fail(
        "SQL_INVALID_AGGREGATE",
        `${name} cannot merge sessions, so it cannot run in a SESSION window`,
        call.call.span,
      );
    }
  }
}

/** GROUP BY the input's key, in key order, needs no repartition. */
function sameKey(groupPrints: readonly string[], key: ResultKey): boolean {
  return (
    key.parts.length > 0 &&
    groupPrints.length === key.parts.length &&
    groupPrints.every((print, i) => key.parts[i]!.matches.has(print))
  );
}

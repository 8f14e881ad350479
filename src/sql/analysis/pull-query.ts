// Plans a pull query (SELECT without EMIT) on a table: key lookups, window bounds, the filter and the projection.

import type { Row } from "../expressions/scope.ts";
import { typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { Query } from "../language/ast.ts";
import type { PlanSource } from "../plan/plan.ts";
import type { PullPlan } from "../plan/pull-plan.ts";
import { type SqlValue, valueKey } from "../types/values.ts";
import type { CatalogView } from "./catalog.ts";
import { computeConstant } from "./constants.ts";
import { type Fail, failIn } from "./errors.ts";
import { planProjection } from "./projection.ts";
import { keyPart } from "./result-key.ts";
import { columnRead, planSource } from "./scopes.ts";
import { requireSource } from "./source-lookup.ts";
import { tableFunctionCalls } from "./table-functions.ts";
import { isConstant } from "./typed-tree.ts";

/** More keys than this (an IN list times another) read faster as one scan. */
const MAX_LOOKUPS = 10_000;

export function planPullQuery(query: Query, text: string, catalog: CatalogView, registry: FunctionRegistry): PullPlan {
  const fail: Fail = failIn(text);
  if (query.emit) {
    fail("SQL_INVALID_PULL_QUERY", `a query with EMIT ${query.emit} is a push query, not a pull query`, query.span);
  }
  if (query.from.kind !== "Source") {
    fail("SQL_INVALID_PULL_QUERY", "pull queries do not join; add EMIT CHANGES for a push query", query.from.span);
  }
  const relation = query.from;
  const table = requireSource(catalog, relation.name, fail);
  if (table.kind !== "TABLE") {
    fail(
      "SQL_INVALID_PULL_QUERY",
      `pull queries read tables: ${table.name} is a stream; add EMIT CHANGES for a push query`,
      relation.name.span,
    );
  }
  for (const [clause, present] of [
    ["WINDOW", query.window?.span],
    ["GROUP BY", query.groupBy?.[0]?.span],
    ["PARTITION BY", query.partitionBy?.[0]?.span],
    ["HAVING", query.having?.span],
  ] as const) {
    if (present)
      fail("SQL_INVALID_PULL_QUERY", `pull queries do not take ${clause}; add EMIT CHANGES for a push query`, present);
  }
  const calls = tableFunctionCalls(query.select, registry);
  if (calls.length > 0) fail("SQL_INVALID_PULL_QUERY", "pull queries do not take table functions", calls[0]!.span);

  const source = planSource(table, relation.alias?.value ?? table.name);
  const noAggregate = (call: { call: { span: Query["span"] } }) =>
    fail(
      "SQL_INVALID_PULL_QUERY",
      "pull queries do not aggregate; read the table a CREATE TABLE AS SELECT made",
      call.call.span,
    );
  const where = query.where
    ? typeCheck(query.where, source.scope, registry, { text, onAggregate: noAggregate })
    : undefined;
  if (where && where.type !== null && where.type.kind !== "BOOLEAN") {
    fail("SQL_INVALID_PULL_QUERY", "WHERE needs a BOOLEAN condition", where.expression.span);
  }
  const keyIndexes = table.columns.flatMap((c, i) => (c.role === "KEY" ? [i] : []));
  const project = planProjection(
    {
      items: query.select,
      stars: [{ plan: source, offset: 0 }],
      type: (e) => typeCheck(e, source.scope, registry, { text, onAggregate: noAggregate }),
      star: (read) => read,
      key: {
        parts: keyIndexes.map((i) => {
          const name = { value: table.columns[i]!.name, span: relation.span };
          return keyPart(columnRead(source.scope, i, { kind: "ColumnRef", name, span: relation.span }));
        }),
        origin: "key column",
        required: false,
      },
      text,
      fail,
    },
    undefined,
  );
  const terms = where ? conjuncts(where) : [];
  const keys = keyLookups(terms, keyIndexes, fail);
  const windowStart = source.scope.windowed ? windowBounds(terms, source, fail) : undefined;
  return {
    source,
    ...(keys ? { keys } : {}),
    ...(windowStart ? { windowStart } : {}),
    ...(where ? { where } : {}),
    project,
    ...(query.limit === undefined ? {} : { limit: query.limit }),
  };
}

function conjuncts(node: TypedExpression): TypedExpression[] {
  return node.kind === "Logical" && node.operator === "AND"
    ? [...conjuncts(node.left), ...conjuncts(node.right)]
    : [node];
}

function disjuncts(node: TypedExpression): TypedExpression[] {
  return node.kind === "Logical" && node.operator === "OR"
    ? [...disjuncts(node.left), ...disjuncts(node.right)]
    : [node];
}

/** `key = c`, `c = key`, `key IN (c, …)`: the key column and the constants, or undefined for any other term. */
function keyValues(
  term: TypedExpression,
  keyIndexes: readonly number[],
  fail: Fail,
): { column: number; values: SqlValue[] } | undefined {
  const isKey = (n: TypedExpression) => n.kind === "Column" && keyIndexes.includes(n.index);
  if (term.kind === "Comparison" && term.operator === "=") {
    for (const [column, other] of [
      [term.left, term.right],
      [term.right, term.left],
    ] as const) {
      if (isKey(column) && isConstant(other) && column.kind === "Column") {
        return { column: column.index, values: [computeConstant(other, fail)] };
      }
    }
    return undefined;
  }
  if (term.kind === "InList" && !term.negated && term.operand.kind === "Column" && isKey(term.operand)) {
    if (!term.list.every(isConstant)) return undefined;
    return { column: term.operand.index, values: term.list.map((item) => computeConstant(item, fail)) };
  }
  if (term.kind === "Logical" && term.operator === "OR") {
    const parts = disjuncts(term).map((d) => keyValues(d, keyIndexes, fail));
    const column = parts[0]?.column;
    if (column === undefined || parts.some((p) => p === undefined || p.column !== column)) return undefined;
    return { column, values: parts.flatMap((p) => p!.values) };
  }
  return undefined;
}

/** The keys every key column is pinned to by the WHERE; undefined (a scan) when one is not pinned. */
function keyLookups(terms: readonly TypedExpression[], keyIndexes: readonly number[], fail: Fail): Row[] | undefined {
  const allowed = new Map<number, Map<string, SqlValue>>();
  for (const term of terms) {
    const found = keyValues(term, keyIndexes, fail);
    if (!found) continue;
    const values = new Map(found.values.filter((v) => v !== null).map((v) => [valueKey(v), v] as const));
    const earlier = allowed.get(found.column);
    allowed.set(found.column, earlier ? new Map([...earlier].filter(([k]) => values.has(k))) : values);
  }
  if (keyIndexes.some((i) => !allowed.has(i))) return undefined;
  let keys: SqlValue[][] = [[]];
  for (const index of keyIndexes) {
    const values = [...allowed.get(index)!.values()];
    if (keys.length * values.length > MAX_LOOKUPS) return undefined;
    keys = keys.flatMap((prefix) => values.map((v) => [...prefix, v]));
  }
  return keys;
}

type Bounds = { from?: number; to?: number };

/**
 * WINDOWSTART bounds from comparisons with constants; a WINDOWEND bound becomes one on WINDOWSTART for windows of
 * fixed size (end = start + size), and is left to the filter for sessions.
 */
function windowBounds(terms: readonly TypedExpression[], source: PlanSource, fail: Fail): Bounds | undefined {
  const size = source.source.window?.sizeMs;
  const bounds: Bounds = {};
  const narrow = (op: string, value: number) => {
    if (op === "=" || op === ">=" || op === ">") {
      const from = op === ">" ? value + 1 : value;
      bounds.from = bounds.from === undefined ? from : Math.max(bounds.from, from);
    }
    if (op === "=" || op === "<=" || op === "<") {
      const to = op === "<" ? value - 1 : value;
      bounds.to = bounds.to === undefined ? to : Math.min(bounds.to, to);
    }
  };
  const shift = (column: string): number | undefined =>
    column === "WINDOWSTART" ? 0 : column === "WINDOWEND" ? size : undefined;
  for (const term of terms) {
    if (term.kind === "Comparison") {
      const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "<>": "<>" };
      const sides: [TypedExpression, TypedExpression, string][] = [
        [term.left, term.right, term.operator],
        [term.right, term.left, flipped[term.operator]!],
      ];
      for (const [bound, other, op] of sides) {
        if (bound.kind !== "Pseudo" || !isConstant(other)) continue;
        const offset = shift(bound.column);
        const value = offset === undefined ? null : computeConstant(other, fail);
        if (value !== null && offset !== undefined) narrow(op, Number(value) - offset);
      }
    } else if (term.kind === "Between" && !term.negated && term.operand.kind === "Pseudo") {
      const offset = shift(term.operand.column);
      if (offset === undefined || !isConstant(term.low) || !isConstant(term.high)) continue;
      const low = computeConstant(term.low, fail);
      const high = computeConstant(term.high, fail);
      if (low !== null) narrow(">=", Number(low) - offset);
      if (high !== null) narrow("<=", Number(high) - offset);
    }
  }
  return bounds.from === undefined && bounds.to === undefined ? undefined : bounds;
}

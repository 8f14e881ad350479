// The SELECT list: `*` expansion, output names as ksqlDB gives them, and which columns form the result's key.

import { SqlSemanticError } from "../expressions/errors.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { Expression, SelectItem, Span } from "../language/ast.ts";
import type { OutputColumn, OutputColumnRef, ProjectStage } from "../plan/plan.ts";
import { BIGINT } from "../types/types.ts";
import { RESERVED_COLUMN_NAMES } from "./describe-source.ts";
import type { Fail } from "./errors.ts";
import type { StarSource } from "./from-clause.ts";
import type { ResultKey } from "./result-key.ts";
import { columnRead } from "./scopes.ts";
import { fingerprint } from "./typed-tree.ts";

export interface ProjectionInput {
  readonly items: readonly SelectItem[];
  readonly stars: readonly StarSource[];
  /** Types one SELECT expression over the projection's scope. */
  type(expression: Expression): TypedExpression;
  /** Turns a read of a source column (as `*` makes it) into an expression over the projection's scope. */
  star(read: TypedExpression): TypedExpression;
  readonly key: ResultKey;
  /** The statement, for messages and made-up names. */
  readonly text: string;
  readonly fail: Fail;
}

interface Item {
  readonly typed: TypedExpression;
  /** The name ksqlDB gives it, or undefined for an expression that gets KSQL_COL_n. */
  readonly name: string | undefined;
  readonly span: Span;
}

/**
 * `sink` names the statement that persists the result (CREATE … AS SELECT or INSERT INTO), whose key columns must
 * all be selected when the key is required; a client query shows what it selects, in SELECT order.
 */
export function planProjection(input: ProjectionInput, sink: string | undefined): ProjectStage {
  const items = input.items.flatMap((item) =>
    item.kind === "AllColumns" ? expandStar(item, input, sink) : [single(item, input)],
  );
  const names = outputNames(items);
  const { fail } = input;
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const name = names[i]!;
    if (seen.has(name))
      fail("SQL_DUPLICATE_COLUMN", `the projection has two columns named ${name}: alias one`, item.span);
    seen.add(name);
    if (sink && RESERVED_COLUMN_NAMES.has(name)) {
      fail("SQL_RESERVED_COLUMN", `${name} is a reserved column name: alias it (… AS ${name}_)`, item.span);
    }
    if (item.typed.type === null) {
      throw new SqlSemanticError(
        "SQL_CANNOT_INFER_TYPE",
        `cannot tell the type of ${name}: CAST it`,
        item.span,
        input.text,
      );
    }
  });

  const parts = input.key.parts;
  const keyOf: (number | undefined)[] = items.map(() => undefined);
  const taken = parts.map(() => -1);
  items.forEach((item, i) => {
    const fp = fingerprint(item.typed);
    const part = parts.findIndex((p, j) => taken[j] === -1 && p.matches.has(fp));
    if (part >= 0) {
      taken[part] = i;
      keyOf[i] = part;
    }
  });
  const missing = parts.filter((_, j) => taken[j] === -1);
  const keyless = missing.length === parts.length && !input.key.required;
  if (sink && missing.length > 0 && !keyless) {
    const list = missing.map((p) => p.text).join(", ");
    fail(
      "SQL_KEY_MISSING",
      `the query of ${sink} must select the result's key: the ${input.key.origin}${missing.length > 1 ? "s" : ""} ${list} (SELECT ${missing[0]!.text}, …)`,
      input.items[0]!.span,
    );
  }
  const column = (item: Item, i: number, expression: TypedExpression): OutputColumn => ({
    name: names[i]!,
    type: item.typed.type!,
    expression,
  });
  const key: OutputColumn[] = [];
  const value: OutputColumn[] = [];
  const order: OutputColumnRef[] = [];
  taken.forEach((i) => {
    if (i < 0) return;
    const item = items[i]!;
    key.push(column(item, i, parts[keyOf[i]!]!.matches.get(fingerprint(item.typed))!));
  });
  items.forEach((item, i) => {
    if (keyOf[i] !== undefined) {
      order.push({ part: "key", index: taken.slice(0, keyOf[i]).filter((t) => t >= 0).length });
    } else {
      order.push({ part: "value", index: value.length });
      value.push(column(item, i, item.typed));
    }
  });
  return { key, value, ...(sink ? {} : { order }) };
}

function single(item: Extract<SelectItem, { kind: "SelectColumn" }>, input: ProjectionInput): Item {
  const typed = input.type(item.expression);
  return { typed, name: item.alias?.value ?? naturalName(item.expression), span: item.span };
}

/** A column keeps its name and `a->b` is named B, as in ksqlDB; other expressions get KSQL_COL_n. */
function naturalName(expression: Expression): string | undefined {
  if (expression.kind === "ColumnRef") return expression.name.value;
  if (expression.kind === "Dereference") return expression.field.value;
  return undefined;
}

/**
 * `*` and `alias.*`: key columns, then (for a client reading a windowed source) WINDOWSTART and WINDOWEND, then value
 * and header columns. In a join every name gets its source's alias and `_` in front (`R_MACHINE_ID`), as ksqlDB does.
 */
function expandStar(
  item: Extract<SelectItem, { kind: "AllColumns" }>,
  input: ProjectionInput,
  sink: string | undefined,
): Item[] {
  const alias = item.source?.value;
  const stars = alias === undefined ? input.stars : input.stars.filter((s) => s.plan.alias === alias);
  if (stars.length === 0) {
    input.fail(
      "SQL_UNKNOWN_SOURCE",
      `${alias}.* names no source of this query (${input.stars.map((s) => s.plan.alias).join(", ")})`,
      item.span,
    );
  }
  const joined = input.stars.length > 1;
  return stars.flatMap(({ plan, offset }) => {
    const columns = plan.source.columns.map((c, i) => {
      const ref: Expression = { kind: "ColumnRef", name: { value: c.name, span: item.span }, span: item.span };
      const typed = input.star({ ...columnRead(plan.scope, i, ref), index: offset + i } as TypedExpression);
      return {
        typed,
        name: joined ? `${plan.alias}_${c.name}` : c.name,
        span: item.span,
        role: c.role,
      };
    });
    const keys = columns.filter((c) => c.role === "KEY");
    const rest = columns.filter((c) => c.role !== "KEY");
    const bounds = plan.source.window && !sink ? windowBounds(item.span) : [];
    return [...keys, ...bounds, ...rest].map(({ typed, name, span }) => ({ typed, name, span }));
  });
}

function windowBounds(span: Span): Item[] {
  return (["WINDOWSTART", "WINDOWEND"] as const).map((column) => ({
    typed: {
      kind: "Pseudo",
      expression: { kind: "ColumnRef", name: { value: column, span }, span },
      type: BIGINT,
      column,
    },
    name: column,
    span,
  }));
}

/** Generated names count up from KSQL_COL_0, skipping any name the projection already uses. */
function outputNames(items: readonly Item[]): string[] {
  const used = new Set(items.flatMap((item) => (item.name === undefined ? [] : [item.name])));
  let next = 0;
  return items.map((item) => {
    if (item.name !== undefined) return item.name;
    while (used.has(`KSQL_COL_${next}`)) next++;
    const name = `KSQL_COL_${next++}`;
    used.add(name);
    return name;
  });
}

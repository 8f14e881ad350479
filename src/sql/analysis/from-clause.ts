// FROM: one stream or table, or a stream-table join on the table's key, with the scope and key later stages see.

import { coerce, typeName } from "../expressions/coerce.ts";
import { SqlSemanticError } from "../expressions/errors.ts";
import type { Scope } from "../expressions/scope.ts";
import { typeCheck } from "../expressions/type-check.ts";
import type { TypedExpression } from "../expressions/typed.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { AliasedSource, Expression, Relation } from "../language/ast.ts";
import type { JoinStage, PlanSource, RekeyStage } from "../plan/plan.ts";
import { canWiden } from "../types/coercion.ts";
import { typesEqual } from "../types/types.ts";
import type { CatalogView, SourceDescription } from "./catalog.ts";
import type { Fail } from "./errors.ts";
import { keyPart, type ResultKey } from "./result-key.ts";
import { appendColumns, columnRead, planSource } from "./scopes.ts";
import { requireSource } from "./source-lookup.ts";
import { someNode } from "./typed-tree.ts";

/** A source as `*` expands it: its columns sit at `offset` onwards in the scope. */
export interface StarSource {
  readonly plan: PlanSource;
  readonly offset: number;
}

export interface FromPlan {
  readonly source: PlanSource;
  readonly join?: JoinStage;
  /** What WHERE and later stages read: the join's scope, or the source's. */
  readonly scope: Scope;
  /** The result's key as FROM leaves it: the source's key columns, or the join key. */
  readonly key: ResultKey;
  readonly stars: readonly StarSource[];
}

interface Context {
  readonly text: string;
  readonly catalog: CatalogView;
  readonly registry: FunctionRegistry;
  readonly fail: Fail;
}

export function planFrom(relation: Relation, context: Context): FromPlan {
  if (relation.kind === "Source") {
    const source = aliased(relation, context);
    const parts = source.source.columns.flatMap((c, index) =>
      c.role === "KEY" ? [keyPart(columnRead(source.scope, index, columnRef(relation, c.name)))] : [],
    );
    return {
      source,
      scope: source.scope,
      key: { parts, origin: "key column", required: source.source.kind === "TABLE" },
      stars: [{ plan: source, offset: 0 }],
    };
  }
  return planJoin(relation, context);
}

function aliased(relation: AliasedSource, context: Context): PlanSource {
  const source = requireSource(context.catalog, relation.name, context.fail);
  return planSource(source, relation.alias?.value ?? source.name);
}

/** A made-up reference to a key column, for messages that print it. */
function columnRef(relation: AliasedSource, name: string): Expression {
  return { kind: "ColumnRef", name: { value: name, span: relation.span }, span: relation.span };
}

function planJoin(relation: Extract<Relation, { kind: "Join" }>, context: Context): FromPlan {
  const fail: Fail = context.fail;
  if (relation.left.kind === "Join") {
    fail("SQL_UNSUPPORTED", "joins of more than two sources are not supported yet", relation.right.span);
  }
  if (relation.joinType === "RIGHT" || relation.joinType === "FULL") {
    fail(
      "SQL_UNSUPPORTED",
      `${relation.joinType} JOIN is not supported yet: only INNER and LEFT stream-table joins`,
      relation.span,
    );
  }
  const stream = aliased(relation.left, context);
  const table = aliased(relation.right, context);
  checkJoinSources(relation, stream.source, table.source, fail);
  if (stream.alias === table.alias) {
    fail(
      "SQL_INVALID_JOIN",
      `both sides of the join are called ${stream.alias}: give one an alias`,
      relation.right.span,
    );
  }
  const tableKeyIndex = table.source.columns.findIndex((c) => c.role === "KEY");
  const combined: Scope = { columns: [...stream.scope.columns, ...table.scope.columns] };
  const on = joinCondition(relation.on, combined, stream.scope.columns.length, tableKeyIndex, table, context);
  const tableKey = table.source.columns[tableKeyIndex]!;
  const streamKey = joinKeyOf(on.stream, tableKey.type, on.tableSide, context);

  const streamKeys = stream.source.columns.filter((c) => c.role === "KEY");
  const alreadyKeyed =
    streamKey.kind === "Column" &&
    streamKeys.length === 1 &&
    streamKey.index === stream.source.columns.indexOf(streamKeys[0]!) &&
    stream.source.keyFormat === table.source.keyFormat &&
    stream.source.keyDelimiter === table.source.keyDelimiter;
  let rekey: RekeyStage | undefined;
  let beforeTable = stream.scope;
  if (!alreadyKeyed) {
    const appended = appendColumns(stream.scope, [tableKey.type]);
    rekey = { reason: "JOIN", key: [streamKey], scope: appended.scope };
    beforeTable = appended.scope;
  } else if (stream.source.partitions !== table.source.partitions) {
    fail(
      "SQL_INVALID_JOIN",
      `cannot join ${stream.source.name} (${stream.source.partitions} partitions) with ${table.source.name} ` +
        `(${table.source.partitions} partitions): a join needs equal partition counts; repartition one with ` +
        "CREATE … AS SELECT … PARTITION BY and PARTITIONS",
      relation.span,
    );
  }
  const offset = beforeTable.columns.length;
  const scope: Scope = { columns: [...beforeTable.columns, ...table.scope.columns] };
  const join: JoinStage = {
    type: relation.joinType,
    table,
    streamKey,
    ...(rekey ? { rekey } : {}),
    scope,
  };
  const tableKeyRead = columnRead(scope, offset + tableKeyIndex, on.tableSide.expression);
  const read = rekey ? columnRead(scope, offset - 1, on.stream.expression) : streamKey;
  return {
    source: stream,
    join,
    scope,
    key: { parts: [keyPart(read, [on.stream, streamKey, tableKeyRead])], origin: "join expression", required: false },
    stars: [
      { plan: stream, offset: 0 },
      { plan: table, offset },
    ],
  };
}

function checkJoinSources(
  relation: Extract<Relation, { kind: "Join" }>,
  left: SourceDescription,
  right: SourceDescription,
  fail: Fail,
): void {
  if (relation.within) {
    fail("SQL_UNSUPPORTED", "stream-stream joins (WITHIN) are not supported yet", relation.within.span);
  }
  if (left.kind === "STREAM" && right.kind === "STREAM") {
    fail(
      "SQL_UNSUPPORTED",
      `stream-stream joins are not supported yet: ${right.name} is a stream`,
      relation.right.span,
    );
  }
  if (left.kind === "TABLE" && right.kind === "TABLE") {
    fail("SQL_UNSUPPORTED", `table-table joins are not supported yet: ${left.name} is a table`, relation.left.span);
  }
  if (left.kind === "TABLE") {
    fail(
      "SQL_INVALID_JOIN",
      `the stream goes on the left of a stream-table join: write FROM ${right.name} JOIN ${left.name}`,
      relation.left.span,
    );
  }
  if (left.window || right.window) {
    fail("SQL_UNSUPPORTED", "joins of windowed sources are not supported yet", relation.span);
  }
  const keys = right.columns.filter((c) => c.role === "KEY").length;
  if (keys !== 1) {
    fail("SQL_UNSUPPORTED", `joining a table with ${keys} key columns is not supported yet`, relation.right.span);
  }
}

interface JoinCondition {
  /** The side reading only stream columns, over the stream's scope (a prefix of the combined one). */
  readonly stream: TypedExpression;
  /** The table key column, over the combined scope. */
  readonly tableSide: TypedExpression;
}

/** ON must be `stream expression = table key column`, either way round. */
function joinCondition(
  on: Expression,
  combined: Scope,
  streamWidth: number,
  tableKeyIndex: number,
  table: PlanSource,
  context: Context,
): JoinCondition {
  const { fail, text, registry } = context;
  const keyName = `${table.alias}.${table.source.columns[tableKeyIndex]!.name}`;
  if (on.kind !== "Comparison" || on.operator !== "=") {
    return fail(
      "SQL_INVALID_JOIN",
      `a stream-table join's ON must compare a stream expression with the table's key: … = ${keyName}`,
      on.span,
    );
  }
  const sides = [on.left, on.right].map((side) => {
    const typed = typeCheck(side, combined, registry, { text });
    const readsTable = someNode(typed, (n) => n.kind === "Column" && n.index >= streamWidth);
    const readsStream = someNode(typed, (n) => n.kind === "Column" && n.index < streamWidth);
    return { side, typed, readsTable, readsStream };
  });
  const tableSides = sides.filter((s) => s.readsTable);
  if (tableSides.length !== 1 || tableSides[0]!.readsStream) {
    return fail(
      "SQL_INVALID_JOIN",
      `a stream-table join's ON must compare a stream expression with the table's key ${keyName}`,
      on.span,
    );
  }
  const tableSide = tableSides[0]!;
  const streamSide = sides.find((s) => s !== tableSide)!;
  if (tableSide.typed.kind !== "Column" || tableSide.typed.index !== streamWidth + tableKeyIndex) {
    return fail(
      "SQL_INVALID_JOIN",
      `the join must be on the table's key ${keyName}, not ${printed(tableSide.side, text)}: a stream-table join looks rows up by key`,
      tableSide.side.span,
    );
  }
  return { stream: streamSide.typed, tableSide: tableSide.typed };
}

function printed(expression: Expression, text: string): string {
  return text.slice(expression.span.start, expression.span.end);
}

/** The stream side in the table key's type: equal, or widened (INTEGER to BIGINT); anything else is a mismatch. */
function joinKeyOf(
  stream: TypedExpression,
  keyType: NonNullable<TypedExpression["type"]>,
  tableSide: TypedExpression,
  context: Context,
): TypedExpression {
  if (stream.type === null || typesEqual(stream.type, keyType)) return coerce(stream, keyType);
  if (canWiden(stream.type, keyType)) return coerce(stream, keyType);
  throw new SqlSemanticError(
    "SQL_TYPE_MISMATCH",
    `the join compares ${printed(stream.expression, context.text)} (${typeName(stream.type)}) with the table key ` +
      `${printed(tableSide.expression, context.text)} (${typeName(keyType)}); CAST one side`,
    stream.expression.span,
    context.text,
  );
}

// Checks the contract the runtime builds on: every expression of every stage reads its declared input scope.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Scope } from "../../../src/sql/expressions/scope.ts";
import type { TypedExpression } from "../../../src/sql/expressions/typed.ts";
import { parseStatements } from "../../../src/sql/language/index.ts";
import type { ProjectStage, QueryPlan, RekeyStage } from "../../../src/sql/plan/plan.ts";
import type { PullPlan } from "../../../src/sql/plan/pull-plan.ts";
import { formatType, type SqlType, typesEqual } from "../../../src/sql/types/types.ts";
import { TestCatalog } from "../analysis/catalog-fixture.ts";

/**
 * Every case of ../analysis/cases that plans successfully is checked: a Column node's index lies in the scope of the
 * stage the expression belongs to, with that column's type, and each stage's scope extends its input as plan.ts says.
 */
const dir = join(import.meta.dirname, "..", "analysis", "cases");

interface CaseFile {
  catalog?: "plant" | "empty";
  setup?: string;
  cases: { name: string; sql: string; error?: unknown }[];
}

const QUERY_KINDS = new Set(["Query", "CreateAsSelect", "InsertInto"]);

function columnsOf(node: TypedExpression): Extract<TypedExpression, { kind: "Column" }>[] {
  const own = node.kind === "Column" ? [node] : [];
  const children: TypedExpression[] = [];
  // The typed tree's children, found structurally so this test does not share the planner's walker.
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        if (item && typeof item === "object" && "kind" in item && "expression" in item)
          children.push(item as TypedExpression);
        else if (item && typeof item === "object") {
          for (const inner of Object.values(item)) {
            if (inner && typeof inner === "object" && "kind" in inner && "expression" in inner)
              children.push(inner as TypedExpression);
          }
        }
      }
    } else if (
      value &&
      typeof value === "object" &&
      "kind" in value &&
      "expression" in value &&
      value !== node.expression
    ) {
      children.push(value as TypedExpression);
    }
  }
  return [...own, ...children.flatMap(columnsOf)];
}

function readsScope(expression: TypedExpression, scope: Scope, where: string): void {
  for (const column of columnsOf(expression)) {
    const declared = scope.columns[column.index];
    assert.ok(declared, `${where}: column #${column.index} outside a scope of ${scope.columns.length}`);
    assert.ok(
      column.type !== null && typesEqual(column.type, declared.type),
      `${where}: column #${column.index} typed ${column.type ? formatType(column.type) : "NULL"}, scope says ${formatType(declared.type)}`,
    );
  }
}

function extends_(stage: Scope, input: Scope, added: readonly (SqlType | null)[], where: string): void {
  assert.equal(stage.columns.length, input.columns.length + added.length, `${where}: scope width`);
  input.columns.forEach((c, i) => {
    assert.equal(stage.columns[i]!.name, c.name, `${where}: column ${i} keeps its place`);
  });
  added.forEach((type, i) => {
    const column = stage.columns[input.columns.length + i]!;
    assert.ok(
      type !== null && typesEqual(column.type, type),
      `${where}: appended column ${i} has the expression's type`,
    );
  });
}

function checkRekey(rekey: RekeyStage, input: Scope, where: string): Scope {
  rekey.key.forEach((k) => {
    readsScope(k, input, `${where} key`);
  });
  extends_(
    rekey.scope,
    input,
    rekey.key.map((k) => k.type),
    where,
  );
  return rekey.scope;
}

function checkProject(project: ProjectStage, scope: Scope, where: string): void {
  for (const column of [...project.key, ...project.value]) {
    readsScope(column.expression, scope, `${where} ${column.name}`);
    assert.ok(
      column.expression.type && typesEqual(column.expression.type, column.type),
      `${where} ${column.name}: type`,
    );
  }
}

function checkPlan(plan: QueryPlan): void {
  let scope = plan.source.scope;
  if (plan.join) {
    const { join: j } = plan;
    readsScope(j.streamKey, scope, "join streamKey");
    const beforeTable = j.rekey ? checkRekey(j.rekey, scope, "join rekey") : scope;
    assert.equal(j.scope.columns.length, beforeTable.columns.length + j.table.scope.columns.length, "join scope width");
    scope = j.scope;
  }
  if (plan.where) readsScope(plan.where, scope, "where");
  if (plan.explode) {
    for (const f of plan.explode.functions) {
      for (const arg of f.args) readsScope(arg, scope, `explode ${f.name}`);
    }
    extends_(
      plan.explode.scope,
      scope,
      plan.explode.functions.map((f) => f.type),
      "explode",
    );
    scope = plan.explode.scope;
  }
  if (plan.rekey) scope = checkRekey(plan.rekey, scope, "rekey");
  if (plan.aggregate) {
    const a = plan.aggregate;
    a.groupBy.forEach((g) => {
      readsScope(g, scope, "groupBy");
    });
    for (const spec of a.aggregates) if (spec.argument) readsScope(spec.argument, scope, `aggregate ${spec.name}`);
    assert.deepEqual(
      a.scope.columns.map((c) => formatType(c.type)),
      [...a.groupBy.map((g) => formatType(g.type!)), ...a.aggregates.map((s) => formatType(s.type))],
      "aggregate scope: group keys then aggregates",
    );
    assert.equal(a.scope.windowed ?? false, a.window !== undefined, "aggregate scope windowed iff the window is");
    if (a.having) readsScope(a.having, a.scope, "having");
    scope = a.scope;
  }
  checkProject(plan.project, scope, "project");
  if (plan.output.kind === "sink" && plan.output.timestampColumn !== undefined) {
    assert.ok(plan.project.value[plan.output.timestampColumn], "output timestamp column");
  }
}

function checkPull(plan: PullPlan): void {
  if (plan.where) readsScope(plan.where, plan.source.scope, "pull where");
  checkProject(plan.project, plan.source.scope, "pull project");
}

for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) {
  const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as CaseFile;
  const planned = spec.cases.filter(
    (x) => !x.error && parseStatements(x.sql).some((s) => QUERY_KINDS.has(s.statement.kind)),
  );
  for (const c of planned) {
    test(`${file}: ${c.name}`, () => {
      const catalog = spec.catalog === "empty" ? new TestCatalog() : TestCatalog.plant();
      if (spec.setup) catalog.run(spec.setup);
      const analyses = parseStatements(c.sql).map((s) => catalog.apply(s, c.sql));
      const checked = analyses.filter((a) => a.kind === "query" || a.kind === "pull");
      assert.ok(checked.length > 0, "the case plans a query");
      for (const analysis of checked) {
        if (analysis.kind === "query") checkPlan(analysis.result.plan);
        if (analysis.kind === "pull") checkPull(analysis.result);
      }
    });
  }
}

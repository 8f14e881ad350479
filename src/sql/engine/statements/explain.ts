// EXPLAIN: a query's plan as ksqlDB's execution-plan tree, its topics as a topology, its sources, sinks and state.

import type { Scope } from "../../expressions/scope.ts";
import type { TypedExpression } from "../../expressions/typed.ts";
import { printExpression } from "../../language/print-expression.ts";
import type { QueryPlan } from "../../plan/plan.ts";
import type { PipelineTopic } from "../../runtime/pipeline.ts";
import { formatType } from "../../types/types.ts";
import type { KsqlEntity } from "../entities.ts";
import { outputFields } from "./schema-info.ts";

export interface ExplainedQuery {
  readonly id: string;
  readonly sql: string;
  readonly plan: QueryPlan;
  readonly topics: readonly PipelineTopic[];
  readonly sources: readonly string[];
  readonly sinks: readonly string[];
  readonly queryType: "PERSISTENT" | "PUSH";
  readonly state: string;
  readonly overriddenProperties: Readonly<Record<string, unknown>>;
}

export function queryDescription(
  statementText: string,
  query: ExplainedQuery,
  warnings: readonly { readonly message: string }[],
): KsqlEntity {
  const { plan } = query;
  return {
    "@type": "queryDescription",
    statementText,
    warnings: [...warnings],
    queryDescription: {
      id: query.id,
      statementText: query.sql,
      windowType: plan.aggregate?.window?.kind ?? plan.source.source.window?.kind ?? null,
      fields: outputFields(plan.project.key, plan.project.value),
      sources: [...query.sources],
      sinks: [...query.sinks],
      topology: topologyText(query.id, query.topics),
      executionPlan: executionPlan(query.id, plan),
      overriddenProperties: query.overriddenProperties,
      queryType: query.queryType,
      state: query.state,
    },
  };
}

function schemaText(scope: Scope): string {
  return scope.columns.map((c) => `${c.name} ${formatType(c.type)}`).join(", ");
}

function expressions(list: readonly TypedExpression[]): string {
  return list.map((e) => printExpression(e.expression)).join(", ");
}

/**
 * The stages from the sink down to the source, one per line, each indented under the one it feeds, as ksqlDB's
 * EXPLAIN draws them: ` > [ STAGE ] | details`.
 */
export function executionPlan(queryId: string, plan: QueryPlan): string {
  const stages: string[] = [];
  const project = plan.project;
  const columns = [
    ...project.key.map((c) => `${c.name} ${formatType(c.type)} KEY`),
    ...project.value.map((c) => `${c.name} ${formatType(c.type)}`),
  ];
  if (plan.output.kind === "sink") stages.push(`[ SINK ] | Topic: ${plan.output.sink.topic} | Logger: ${queryId}.Sink`);
  stages.push(`[ PROJECT ] | Schema: ${columns.join(", ")}`);
  const aggregate = plan.aggregate;
  if (aggregate) {
    if (aggregate.having) stages.push(`[ FILTER ] | HAVING ${printExpression(aggregate.having.expression)}`);
    const window = aggregate.window ? ` | Window: ${aggregate.window.kind}` : "";
    const calls = aggregate.aggregates.map((a) =>
      a.argument ? `${a.name}(${printExpression(a.argument.expression)})` : `${a.name}(*)`,
    );
    stages.push(`[ AGGREGATE ] | ${calls.join(", ")}${window} | Emit: ${plan.emit}`);
    stages.push(`[ GROUP_BY ] | ${expressions(aggregate.groupBy)}`);
  }
  if (plan.rekey)
    stages.push(
      `[ ${plan.rekey.reason === "PARTITION BY" ? "PARTITION_BY" : "REKEY"} ] | ${expressions(plan.rekey.key) || "NULL"}`,
    );
  if (plan.explode) stages.push(`[ FLAT_MAP ] | ${plan.explode.functions.map((f) => f.name).join(", ")}`);
  if (plan.where) stages.push(`[ FILTER ] | ${printExpression(plan.where.expression)}`);
  if (plan.join) {
    const join = plan.join;
    stages.push(`[ JOIN ] | ${join.type} ${join.table.source.name} ON ${printExpression(join.streamKey.expression)}`);
    if (join.rekey) stages.push(`[ REKEY ] | ${expressions(join.rekey.key)}`);
  }
  stages.push(`[ SOURCE ] | ${plan.source.source.name} | Schema: ${schemaText(plan.source.scope)}`);
  return stages.map((stage, depth) => `${"\t\t".repeat(depth)} > ${stage}`).join("\n");
}

/** The Kafka topics the query's task reads and writes, by role. */
export function topologyText(queryId: string, topics: readonly PipelineTopic[]): string {
  const lines = [`Topology of ${queryId}:`];
  const roles: [PipelineTopic["role"], string][] = [
    ["source", "Source"],
    ["source-table", "Source table"],
    ["table", "Joined table"],
    ["repartition", "Repartition"],
    ["changelog", "Changelog"],
    ["sink", "Sink"],
  ];
  for (const [role, label] of roles) {
    for (const topic of topics.filter((t) => t.role === role)) lines.push(`  ${label}: ${topic.name}`);
  }
  if (!topics.some((t) => t.role === "sink")) lines.push("  Sink: the client (rows are not written to Kafka)");
  return lines.join("\n");
}

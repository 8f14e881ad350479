// Turns analysis results into small JSON summaries that case files can state expectations about.

import type { SourceDescription } from "../../../src/sql/analysis/index.ts";
import type { TypedExpression } from "../../../src/sql/expressions/typed.ts";
import { printExpression } from "../../../src/sql/language/index.ts";
import type { OutputColumn, ProjectStage, QueryPlan } from "../../../src/sql/plan/plan.ts";
import type { PullPlan } from "../../../src/sql/plan/pull-plan.ts";
import { type JsonValue, toJsonText } from "../../../src/sql/types/json-value.ts";
import { formatType, type SqlType } from "../../../src/sql/types/types.ts";
import type { SqlValue } from "../../../src/sql/types/values.ts";
import type { Analysis } from "./catalog-fixture.ts";

type Json = JsonValue;
type JsonObject = { [key: string]: Json };

export function summarize(analysis: Analysis): JsonObject {
  switch (analysis.kind) {
    case "source":
      return { source: sourceSummary(analysis.result.source), createTopic: analysis.result.createTopic };
    case "query": {
      const { plan, sink, createTopic, sources } = analysis.result;
      return {
        ...planSummary(plan),
        sources: [...sources],
        ...(sink ? { sink: sourceSummary(sink), createTopic: createTopic ?? false } : {}),
      };
    }
    case "pull":
      return pullSummary(analysis.result);
    case "values": {
      const { source, key, value, timestamp } = analysis.result;
      const keyColumns = source.columns.filter((c) => c.role === "KEY");
      const valueColumns = source.columns.filter((c) => c.role === "VALUE");
      return {
        source: source.name,
        key: key.map((v, i) => json(v, keyColumns[i]!.type)),
        value: value.map((v, i) => json(v, valueColumns[i]!.type)),
        ...(timestamp === undefined ? {} : { timestamp }),
      };
    }
  }
}

function json(value: SqlValue, type: SqlType): Json {
  return JSON.parse(toJsonText(value, type)) as Json;
}

const print = (typed: TypedExpression): string => printExpression(typed.expression);
const column = (c: OutputColumn): string => `${c.name} ${formatType(c.type)}`;

function projectSummary(project: ProjectStage): JsonObject {
  return {
    key: project.key.map(column),
    value: project.value.map(column),
    ...(project.order ? { order: project.order.map((r) => `${r.part}:${r.index}`) } : {}),
  };
}

function planSummary(plan: QueryPlan): JsonObject {
  const { source, join, where, explode, rekey, aggregate, output } = plan;
  return {
    resultKind: plan.resultKind,
    source: source.alias === source.source.name ? source.source.name : `${source.source.name} AS ${source.alias}`,
    ...(source.timestampColumn === undefined ? {} : { timestampColumn: source.timestampColumn }),
    ...(join
      ? {
          join: {
            type: join.type,
            table: join.table.source.name,
            streamKey: print(join.streamKey),
            streamKeyType: formatType(join.streamKey.type!),
            rekey: join.rekey !== undefined,
          },
        }
      : {}),
    ...(where ? { where: print(where) } : {}),
    ...(explode ? { explode: explode.functions.map((f) => `${f.name}(${f.args.map(print).join(", ")})`) } : {}),
    ...(rekey ? { rekey: { reason: rekey.reason, key: rekey.key.map(print) } } : {}),
    ...(aggregate
      ? {
          aggregate: {
            groupBy: aggregate.groupBy.map(print),
            aggregates: aggregate.aggregates.map((a) => `${a.name}(${a.argument ? print(a.argument) : "*"})`),
            ...(aggregate.window ? { window: { ...aggregate.window } } : {}),
            ...(aggregate.having ? { having: print(aggregate.having) } : {}),
          },
        }
      : {}),
    ...projectSummary(plan.project),
    output: output.kind === "client" ? "client" : `sink ${output.sink.name}`,
    ...(output.kind === "sink" && output.timestampColumn !== undefined
      ? { outputTimestampColumn: output.timestampColumn }
      : {}),
    emit: plan.emit,
    ...(plan.limit === undefined ? {} : { limit: plan.limit }),
  };
}

function pullSummary(plan: PullPlan): JsonObject {
  const keyTypes = plan.source.source.columns.filter((c) => c.role === "KEY").map((c) => c.type);
  return {
    source: plan.source.source.name,
    ...(plan.keys ? { keys: plan.keys.map((k) => k.map((v, i) => json(v, keyTypes[i]!))) } : {}),
    ...(plan.windowStart ? { windowStart: { ...plan.windowStart } } : {}),
    ...(plan.where ? { where: print(plan.where) } : {}),
    ...projectSummary(plan.project),
    ...(plan.limit === undefined ? {} : { limit: plan.limit }),
  };
}

export function sourceSummary(source: SourceDescription): JsonObject {
  return {
    name: source.name,
    kind: source.kind,
    topic: source.topic,
    keyFormat: source.keyFormat,
    valueFormat: source.valueFormat,
    columns: source.columns.map(
      (c) =>
        `${c.name} ${formatType(c.type)}${c.role === "VALUE" ? "" : c.role === "HEADER" ? ` HEADER('${c.headerKey}')` : ` ${c.role}`}`,
    ),
    partitions: source.partitions,
    replicas: source.replicas,
    readOnly: source.readOnly,
    ...(source.keyDelimiter === undefined ? {} : { keyDelimiter: source.keyDelimiter }),
    ...(source.valueDelimiter === undefined ? {} : { valueDelimiter: source.valueDelimiter }),
    ...(source.wrapSingleValue === undefined ? {} : { wrapSingleValue: source.wrapSingleValue }),
    ...(source.timestamp ? { timestamp: { ...source.timestamp } } : {}),
    ...(source.window ? { window: { ...source.window } } : {}),
  };
}

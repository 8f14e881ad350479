// A query's result as the client sees it: columns in SELECT order with ksqlDB's type text, rows as JSON values.

import type { Row } from "../../expressions/scope.ts";
import type { OutputColumn, OutputColumnRef, ProjectStage } from "../../plan/plan.ts";
import { formatType } from "../../types/types.ts";
import type { SqlValue } from "../../types/values.ts";
import type { JsonValue, ResultColumn } from "../entities.ts";
import { jsonRowConverter } from "./json-rows.ts";

export interface ResultShape {
  /** Every column in SELECT order; key columns marked. */
  readonly columns: readonly ResultColumn[];
  /** The client's row for a result's key and value columns (as ProjectStage lists them): SELECT order, as JSON. */
  row(key: Row, value: Row): JsonValue[];
}

/** The shape of a push or pull query's result; without `order` (a sink's projection) key columns come first. */
export function resultShape(project: ProjectStage): ResultShape {
  const refs: readonly OutputColumnRef[] = project.order ?? [
    ...project.key.map((_, index) => ({ part: "key" as const, index })),
    ...project.value.map((_, index) => ({ part: "value" as const, index })),
  ];
  const columnOf = (ref: OutputColumnRef): OutputColumn =>
    (ref.part === "key" ? project.key : project.value)[ref.index]!;
  const columns = refs.map((ref) => {
    const column = columnOf(ref);
    return { name: column.name, type: formatType(column.type), key: ref.part === "key" };
  });
  const convert = jsonRowConverter(refs.map((ref) => columnOf(ref).type));
  // The converter copies into a new array, so one scratch row serves every call.
  const ordered = new Array<SqlValue>(refs.length).fill(null);
  return {
    columns,
    row(key, value) {
      for (let i = 0; i < refs.length; i++) {
        const ref = refs[i]!;
        ordered[i] = (ref.part === "key" ? key[ref.index] : value[ref.index]) ?? null;
      }
      return convert(ordered);
    },
  };
}

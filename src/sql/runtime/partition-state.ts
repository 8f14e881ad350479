// Everything a pipeline keeps for one partition: stream time, table rows, aggregate state and materialized rows.

import type { Row } from "../expressions/scope.ts";
import type { StateValue } from "../types/state-codec.ts";
import { ViewStore } from "./view-store.ts";

/** One group's aggregate (per window, for windowed aggregations). */
export interface AggregateEntry {
  /** The group-by values. */
  readonly key: Row;
  /** keyText(key): the group's identity. */
  readonly text: string;
  /** Window bounds; 0 and 0 when unwindowed. `end` is exclusive for time windows, the last record for sessions. */
  readonly start: number;
  readonly end: number;
  /** One state per aggregate, as the aggregators made them. */
  states: StateValue[];
  /** The largest event time added: the result row's timestamp. */
  ts: number;
  /** EMIT FINAL: the closed window's row went out. */
  emitted: boolean;
  /** False once removed (expired, merged away, revoked): a pending emission of it is dropped. */
  alive: boolean;
  readonly owner: PartitionState;
  /** State-codec JSON of the changelog key, made once. */
  changelogKey: string | undefined;
  /** When it last changed, counted in changes: held entries go out in this order. */
  touched: number;
}

/** A primitive key value as itself, an object one as its key text. */
export type TableRowKey = string | number | bigint | boolean | null;

export class PartitionState {
  readonly partition: number;
  /** The largest event time this partition's aggregation has seen. */
  streamTime = Number.NEGATIVE_INFINITY;
  /** The stream time at which some window closes or expires: sweeping before that finds nothing to do. */
  nextSweep = Number.NEGATIVE_INFINITY;
  /** A table read as the query's source: its last row per key bytes (latin1 text of the bytes). */
  readonly sourceRows = new Map<string, Row>();
  /** The joined table: its rows per key (join-stage.ts says how a key value becomes a TableRowKey). */
  readonly tableRows = new Map<TableRowKey, Row>();
  /** Aggregates by group text (with `@start` for time windows). */
  readonly groups = new Map<string, AggregateEntry>();
  /** Session windows by group text, each list ordered by start. */
  readonly sessions = new Map<string, AggregateEntry[]>();
  readonly view = new ViewStore();

  constructor(partition: number) {
    this.partition = partition;
  }
}

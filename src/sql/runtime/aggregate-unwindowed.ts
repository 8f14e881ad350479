// GROUP BY without a window: one aggregate per group, with retractions when the input is a table.

import type { Row } from "../expressions/scope.ts";
import type { AggregateCore, AggregateOperator, RestoredValue } from "./aggregate-core.ts";
import { keyText } from "./key-text.ts";
import type { AggregateEntry, PartitionState } from "./partition-state.ts";

export class UnwindowedAggregate implements AggregateOperator {
  readonly #core: AggregateCore;

  constructor(core: AggregateCore) {
    this.#core = core;
  }

  change(previous: Row | null, next: Row | null, state: PartitionState): void {
    const core = this.#core;
    // Both inputs are read before any state changes, so a row that fails to evaluate leaves the aggregate as it was.
    const retract = previous === null ? null : core.input(previous, false);
    const add = next === null ? null : core.input(next, true);
    let retracted: AggregateEntry | undefined;
    if (retract !== null) {
      retracted = state.groups.get(retract.text);
      if (retracted !== undefined) core.undo(retracted, retract.args);
    }
    let added: AggregateEntry | undefined;
    if (add !== null) {
      added = state.groups.get(add.text);
      if (added === undefined) {
        added = core.newEntry(state, add, 0, 0);
        state.groups.set(add.text, added);
      }
      core.add(added, add.args);
    }
    // A row that changed within its group retracts and adds in one step and emits once, as Kafka Streams does.
    if (retracted !== undefined && retracted !== added) core.touch(retracted);
    if (added !== undefined) core.touch(added);
  }

  restore(state: PartitionState, key: Row, start: number, end: number, value: RestoredValue | null): void {
    const text = keyText(key);
    this.#core.restore(
      state,
      state.groups.get(text),
      { key, text, start, end },
      value,
      (entry) => state.groups.set(text, entry),
      () => state.groups.delete(text),
    );
  }
}

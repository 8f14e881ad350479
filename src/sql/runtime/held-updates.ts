// Updates held back for a later flush: the last one per slot, in the order of their last change, droppable per partition.

/*
 * ksqlDB's record cache keeps only the last update per key until the next commit and then writes them least recently
 * changed first; a table result's rows and a state store's changelog records are held this way. Slots begin with their
 * partition, so that a revoked partition's updates, whose input its next owner processes again, can be dropped.
 */
export class HeldUpdates<T> {
  readonly #latest = new Map<string, T>();

  get size(): number {
    return this.#latest.size;
  }

  /** Holds `update` for `id` in `partition`, in place of the one held for it, and behind every other. */
  hold(partition: number, id: string, update: T): void {
    const slot = `${partition}/${id}`;
    // Deleting first moves the slot to the end: the updates come out in the order of their last change.
    this.#latest.delete(slot);
    this.#latest.set(slot, update);
  }

  /** Forgets the updates of a revoked partition. */
  drop(partition: number): void {
    const prefix = `${partition}/`;
    for (const slot of this.#latest.keys()) if (slot.startsWith(prefix)) this.#latest.delete(slot);
  }

  /** Hands every held update to `emit`, in order; nothing is held afterwards. */
  release(emit: (update: T) => void): void {
    for (const update of this.#latest.values()) emit(update);
    this.#latest.clear();
  }
}

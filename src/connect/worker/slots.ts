// Which worker runs which task: tasks hash to slots (partitions of the group's slots topic), and the group leader
// hands slots to members so that the slots in use are spread evenly.

/** Partitions of a group's slots topic: tasks hash into these, members own them. */
export const SLOT_COUNT = 64;

/** The slot of a task key (`{connector}/{task}`): FNV-1a, stable across processes and versions. */
export function slotOf(key: string, slots = SLOT_COUNT): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slots;
}

/**
 * Gives every slot to one member. Slots carrying tasks go first, heaviest first, each to the member with the least work
 * so far (ties: the member with the fewest slots, then the lower id); empty slots then even out the slot counts, so a
 * task created later lands on any member. Deterministic: same members and weights, same answer.
 */
export function balanceSlots(
  members: readonly string[],
  weights: ReadonlyMap<number, number>,
  slots = SLOT_COUNT,
): Map<string, number[]> {
  const sorted = [...members].sort();
  const owned = new Map<string, number[]>(sorted.map((member) => [member, []]));
  if (sorted.length === 0) return owned;
  const work = new Map<string, number>(sorted.map((member) => [member, 0]));
  const least = (byWork: boolean): string => {
    let best = sorted[0]!;
    for (const member of sorted) {
      const load = (m: string) => [byWork ? work.get(m)! : 0, owned.get(m)!.length] as const;
      const [w, n] = load(member);
      const [bw, bn] = load(best);
      if (w < bw || (w === bw && n < bn)) best = member;
    }
    return best;
  };
  const used = [...weights]
    .filter(([slot, weight]) => weight > 0 && slot < slots)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  for (const [slot, weight] of used) {
    const member = least(true);
    owned.get(member)!.push(slot);
    work.set(member, work.get(member)! + weight);
  }
  const taken = new Set(used.map(([slot]) => slot));
  for (let slot = 0; slot < slots; slot++) {
    if (!taken.has(slot)) owned.get(least(false))!.push(slot);
  }
  for (const list of owned.values()) list.sort((a, b) => a - b);
  return owned;
}

// How a query's consumer group splits its partitions: partition p of every topic to one member, sticky when possible.
import type { ExtendedGroupProtocolSubscription, GroupPartitionsAssigner } from "@platformatic/kafka";

export interface GroupMember {
  readonly id: string;
  /** Partition numbers it owned before this rebalance (it keeps them when the balance allows: no restore needed). */
  readonly owned: readonly number[];
}

/**
 * Partition numbers 0…N-1 (N: the largest partition count among the topics) split as evenly as possible between the
 * members; a member then gets partition p of every topic that has one. A stream-table join and a repartitioned
 * aggregation need exactly that: the records and the state of one key meet in one process. Members keep what they
 * owned first (up to their fair share), and the rest goes to whoever has fewest, ties to the lowest member id.
 */
export function assignCoPartitioned(
  members: readonly GroupMember[],
  partitionCounts: ReadonlyMap<string, number>,
): Map<string, Map<string, number[]>> {
  const sorted = [...members].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const total = Math.max(0, ...partitionCounts.values());
  const owners = ownersOf(sorted, total);
  const result = new Map<string, Map<string, number[]>>(sorted.map((member) => [member.id, new Map()]));
  for (const [topic, count] of [...partitionCounts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (let partition = 0; partition < count; partition++) {
      const topics = result.get(owners[partition] ?? "");
      if (topics === undefined) continue;
      const partitions = topics.get(topic) ?? [];
      partitions.push(partition);
      topics.set(topic, partitions);
    }
  }
  return result;
}

/** For each partition number, the id of its member. */
function ownersOf(members: readonly GroupMember[], total: number): string[] {
  const owners: string[] = new Array(total);
  if (members.length === 0) return owners;
  const low = Math.floor(total / members.length);
  const high = Math.ceil(total / members.length);
  let highSeats = total % members.length;
  const counts = new Map(members.map((member) => [member.id, 0]));
  // Those who owned most keep first, so that the fewest partitions move.
  const byOwned = [...members].sort((a, b) => b.owned.length - a.owned.length);
  for (const member of byOwned) {
    const quota = highSeats > 0 ? high : low;
    let kept = 0;
    for (const partition of member.owned) {
      if (kept >= quota) break;
      if (!Number.isInteger(partition) || partition < 0 || partition >= total || owners[partition] !== undefined)
        continue;
      owners[partition] = member.id;
      kept++;
    }
    counts.set(member.id, kept);
    if (kept === high && high > low) highSeats--;
  }
  for (let partition = 0; partition < total; partition++) {
    if (owners[partition] !== undefined) continue;
    let fewest = members[0] as GroupMember;
    for (const member of members) {
      if ((counts.get(member.id) ?? 0) < (counts.get(fewest.id) ?? 0)) fewest = member;
    }
    owners[partition] = fewest.id;
    counts.set(fewest.id, (counts.get(fewest.id) ?? 0) + 1);
  }
  return owners;
}

/** What a member tells the leader when it joins: the partition numbers it owns, as JSON. */
export function encodeOwned(owned: Iterable<number>): Buffer {
  return Buffer.from(JSON.stringify([...owned].sort((a, b) => a - b)), "utf8");
}

/** Reads a member's owned partitions; anything unreadable counts as owning nothing. */
export function decodeOwned(subscription: ExtendedGroupProtocolSubscription): number[] {
  const raw = subscription.metadata;
  if (raw === undefined || raw.length === 0) return [];
  try {
    const value: unknown = JSON.parse(typeof raw === "string" ? raw : raw.toString("utf8"));
    return Array.isArray(value) ? value.filter((p): p is number => typeof p === "number") : [];
  } catch {
    return [];
  }
}

/** The group's assigner: every subscribed topic co-partitioned, sticky by what members say they own. */
export const coPartitionAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const counts = new Map([...topics].map((topic) => [topic, metadata.topics.get(topic)?.partitionsCount ?? 0]));
  const assigned = assignCoPartitioned(
    [...members].map(([id, subscription]) => ({ id, owned: decodeOwned(subscription) })),
    counts,
  );
  return [...assigned].map(([memberId, byTopic]) => ({
    memberId,
    assignments: new Map([...byTopic].map(([topic, partitions]) => [topic, { topic, partitions }])),
  }));
};

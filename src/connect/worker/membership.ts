// A worker's place in its group: a Kafka consumer group over the slots topic, whose leader hands out slots.
import { EventEmitter } from "node:events";
import type { Consumer, GroupPartitionsAssignments } from "@platformatic/kafka";
import { createConsumer, type KafkaConfig, leaveGroupAndClose } from "../../kafka/index.ts";
import { connectGroupId } from "./group-topics.ts";
import { balanceSlots, SLOT_COUNT } from "./slots.ts";

export interface MembershipOptions {
  readonly kafka: KafkaConfig;
  /** The group id of the workers (the consumer group is named after it). */
  readonly group: string;
  readonly slotsTopic: string;
  readonly workerId: string;
  /** A member that misses heartbeats this long is out and its slots go to the others. */
  readonly sessionTimeoutMs: number;
  /** How many tasks each slot carries, as the leader sees the configurations when it assigns. */
  readonly weights: () => ReadonlyMap<number, number>;
}

/**
 * Joins the group and says which slots this worker owns after every rebalance ('assigned' events). Kafka's group
 * coordinator does the membership: a member that stops heartbeating is dropped after the session timeout and the
 * leader assigns again. Joining again as the leader (`rebalance`) spreads newly used slots.
 */
export class Membership extends EventEmitter<{ assigned: [slots: ReadonlySet<number>]; error: [error: Error] }> {
  readonly #options: MembershipOptions;
  readonly #consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  #slots: ReadonlySet<number> = new Set();
  #leader = false;

  constructor(options: MembershipOptions) {
    super();
    this.#options = options;
    this.#consumer = createConsumer(options.kafka, {
      clientId: `fabrik-connect-${options.workerId}`,
      groupId: connectGroupId(options.group),
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 4)),
      partitionAssigner: (_current, members) => this.#assign([...members.keys()]),
    });
    this.#consumer.on("consumer:group:join", (event: { isLeader?: boolean }) => {
      this.#leader = event.isLeader === true;
      this.#publish();
    });
    this.#consumer.on("error", (error: Error) => this.emit("error", error));
  }

  get slots(): ReadonlySet<number> {
    return this.#slots;
  }

  get leader(): boolean {
    return this.#leader;
  }

  async join(): Promise<void> {
    this.#consumer.topics.track(this.#options.slotsTopic);
    await this.#consumer.joinGroup({});
  }

  /** Asks the group to assign again (the leader does this when the slots in use change). */
  async rebalance(): Promise<void> {
    await this.#consumer.joinGroup({});
  }

  /** Leaves the group at once, so the others take the slots over without waiting out the session timeout. */
  async leave(): Promise<void> {
    this.#slots = new Set();
    await leaveGroupAndClose(this.#consumer);
  }

  #assign(members: string[]): GroupPartitionsAssignments[] {
    const owned = balanceSlots(members, this.#options.weights(), SLOT_COUNT);
    return [...owned].map(([memberId, partitions]) => ({
      memberId,
      assignments: new Map([[this.#options.slotsTopic, { topic: this.#options.slotsTopic, partitions }]]),
    }));
  }

  #publish(): void {
    const mine = new Set<number>();
    for (const assignment of this.#consumer.assignments ?? []) {
      if (assignment.topic !== this.#options.slotsTopic) continue;
      for (const partition of assignment.partitions) mine.add(partition);
    }
    this.#slots = mine;
    this.emit("assigned", mine);
  }
}

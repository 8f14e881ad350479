// `fabrik demo --fresh`: what earlier demo runs left in Kafka and on disk, and removing it so the demo starts over.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { connectGroupId, groupTopics } from "../connect/worker/group-topics.ts";
import { createAdmin, explainKafkaError, type KafkaConfig } from "../kafka/index.ts";
import { commandTopic, internalTopicPrefix, processingLogTopic, queryGroupId } from "../sql/engine/index.ts";
import type { DemoConnector } from "./connector.ts";
import { DemoError } from "./errors.ts";
import { type PipelineScript, pipelineTopics } from "./pipeline-script.ts";

/** Everything the demo keeps between runs; names are exact unless listed as prefixes. */
export interface DemoFootprint {
  readonly topics: readonly string[];
  readonly topicPrefixes: readonly string[];
  readonly groups: readonly string[];
  readonly groupPrefixes: readonly string[];
  /** Folders on disk: the connector's buffer (its records and positions belong to the topics removed). */
  readonly dirs: readonly string[];
}

export interface FootprintParts {
  readonly serviceId: string;
  readonly connectGroup: string;
  readonly connector: DemoConnector;
  readonly pipeline: PipelineScript;
}

/**
 * The demo's topics: the plant topics its connector writes, its connect group's internal topics, the topics the
 * pipeline's streams and tables name, and every topic of its SQL service (command topic, processing log, queries'
 * changelogs and repartitions); its consumer groups: the connect group's, its sinks', and its SQL queries'.
 */
export function demoFootprint(parts: FootprintParts): DemoFootprint {
  const { connector, serviceId } = parts;
  const group = groupTopics(parts.connectGroup);
  const bufferDir = connector.config.delivery.buffer.dir;
  return {
    topics: unique([
      ...connector.topics,
      ...connector.config.sinks.flatMap((s) => [...s.topics, s.deadLetterTopic]),
      group.configs,
      group.status,
      group.offsets,
      group.slots,
      ...pipelineTopics(parts.pipeline),
      commandTopic(serviceId),
      processingLogTopic(serviceId),
    ]),
    topicPrefixes: [internalTopicPrefix(serviceId)],
    groups: unique([connectGroupId(parts.connectGroup), ...connector.config.sinks.map((s) => s.groupId)]),
    groupPrefixes: [queryGroupId(serviceId, "")],
    dirs: [join(bufferDir, connector.name), join(bufferDir, "rejected", connector.name)],
  };
}

/** How long deleted topics may take to disappear from the cluster's metadata before a new run may create them. */
const TOPICS_GONE_TIMEOUT_MS = 60_000;

/**
 * Deletes the footprint's topics and consumer groups that exist, waits until the cluster no longer lists the topics
 * (one created again too early would be refused while the old one is being deleted), then removes the folders. Refuses,
 * touching nothing, while one of the groups has members: a demo (or a worker that joined it) is running on the cluster.
 */
export async function eraseFootprint(
  kafka: KafkaConfig,
  footprint: DemoFootprint,
): Promise<{ topics: number; groups: number }> {
  const admin = createAdmin(kafka, { clientId: "fabrik-demo-reset" });
  const matches = (name: string, exact: readonly string[], prefixes: readonly string[]) =>
    exact.includes(name) || prefixes.some((p) => name.startsWith(p));
  try {
    const groups = [...(await admin.listGroups()).values()].filter((g) =>
      matches(g.id, footprint.groups, footprint.groupPrefixes),
    );
    const busy = groups.find((g) => !["EMPTY", "DEAD"].includes(g.state.replace(/[^A-Za-z]/g, "").toUpperCase()));
    if (busy !== undefined) {
      throw new DemoError(
        "DEMO_RESET_FAILED",
        "--fresh",
        `consumer group ${busy.id} has members (${busy.state}): a demo is running on this cluster, or one was killed ` +
          "less than 30 s ago. Stop it, or wait, and try again",
      );
    }
    const topics = (await admin.listTopics()).filter((t) => matches(t, footprint.topics, footprint.topicPrefixes));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    if (groups.length > 0) await admin.deleteGroups({ groups: groups.map((g) => g.id) });
    const deadline = Date.now() + TOPICS_GONE_TIMEOUT_MS;
    for (;;) {
      const left = new Set(await admin.listTopics());
      const remaining = topics.filter((t) => left.has(t));
      if (remaining.length === 0) break;
      if (Date.now() > deadline) {
        throw new DemoError(
          "DEMO_RESET_FAILED",
          "--fresh",
          `Kafka still lists ${remaining.join(", ")} ${TOPICS_GONE_TIMEOUT_MS / 1000} s after deleting them`,
        );
      }
      // Topic deletion finishes in the background and no request reports it: ask again shortly.
      await delay(200);
    }
    for (const dir of footprint.dirs) await rm(dir, { recursive: true, force: true });
    return { topics: topics.length, groups: groups.length };
  } catch (error) {
    if (error instanceof DemoError) throw error;
    throw new DemoError("DEMO_RESET_FAILED", "--fresh", explainKafkaError(error), error);
  } finally {
    await admin.close().catch(() => {});
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

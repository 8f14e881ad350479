// Checks one sink (topics, the allow-list of writable tags, retries, dead letters) and builds its SinkConfig.
import { deviceIdentity } from "../../plc/index.ts";
import { DEFAULTS, defaultDeadLetterTopic, defaultGroupId, LIMITS } from "./defaults.ts";
import type { DraftSink } from "./draft.ts";
import type { SinkConfig } from "./model.ts";
import { topicNameProblem } from "./topic-template.ts";
import {
  type CheckContext,
  checkDuration,
  checkInteger,
  checkName,
  checkString,
  checkTags,
  checkUrl,
} from "./value-checks.ts";

/** A checked sink, and what the overlap note needs: its device (none when the URL was invalid) and tag paths. */
export interface CheckedSink {
  readonly config: SinkConfig;
  readonly device: string | undefined;
  /** Where each tag of `config.tags` was written, in the same order. */
  readonly tagPaths: readonly string[];
}

/** `connector` is undefined when its name is invalid (reported already): the defaults made of it are not checked. */
export function checkSink(context: CheckContext, sink: DraftSink, connector: string | undefined): CheckedSink {
  const name = checkName(context, sink.name, "sink");
  const url = checkUrl(context, sink.url);
  const tags = checkTags(
    context,
    sink.tags,
    sink.tagsAt,
    url.driver,
    "a sink needs tags: they are the allow-list of what it may write, and nothing else is ever written",
  );

  if (sink.topics.length === 0 && sink.noTopicsAt !== undefined) {
    context.problems.add(sink.noTopicsAt, "a sink needs a topic to consume");
  }
  const topics: string[] = [];
  for (const located of sink.topics) {
    const topic = checkString(context, located, "a topic");
    if (topic === undefined) continue;
    const problem = topicNameProblem(topic);
    if (problem !== undefined) context.problems.add(located, problem);
    if (topics.includes(topic)) context.problems.add(located, `topic '${topic}' is listed twice`);
    topics.push(topic);
  }

  const deadLetterAt = sink.deadLetterTopic ?? sink.name;
  const deadLetterTopic =
    sink.deadLetterTopic === undefined
      ? connector && name && defaultDeadLetterTopic(connector, name)
      : checkString(context, sink.deadLetterTopic, "a topic");
  const deadLetterProblem = deadLetterTopic && topicNameProblem(deadLetterTopic);
  if (deadLetterProblem !== undefined) {
    context.problems.add(deadLetterAt, `dead letter topic: ${deadLetterProblem}`);
  } else if (deadLetterTopic !== undefined && topics.includes(deadLetterTopic)) {
    // Failed records would come back to the sink that failed to write them, forever.
    context.problems.add(deadLetterAt, `dead letter topic '${deadLetterTopic}' is one of the topics the sink consumes`);
  }

  let groupId = defaultGroupId(connector ?? "", name ?? "");
  if (sink.groupId !== undefined) {
    const given = checkString(context, sink.groupId, "a consumer group id") ?? "";
    const { max } = LIMITS.groupIdLength;
    if (given.length > max)
      context.problems.add(sink.groupId, `group id is ${given.length} characters, more than ${max}`);
    groupId = given;
  }

  const config: SinkConfig = {
    name: name ?? "",
    url: url.url,
    topics,
    tags,
    retries: checkInteger(context, sink.retries, LIMITS.sinkRetries, DEFAULTS.sinkRetries),
    timeoutMs: checkDuration(context, sink.timeout, LIMITS.sinkTimeout, DEFAULTS.sinkTimeoutMs),
    deadLetterTopic: deadLetterTopic ?? "",
    groupId,
  };
  const device = url.device && deviceIdentity(url.device.url, url.device.driver).name;
  return { config, device, tagPaths: sink.tags.map((tag) => tag.address.path) };
}

/**
 * Notes (not problems: it may be intended) each device address that two sinks write, since the last write wins and the
 * two sinks' topics are not ordered with each other.
 */
export function noteSharedWrites(context: CheckContext, sinks: readonly CheckedSink[]): void {
  const writers = new Map<string, { readonly sink: string; readonly path: string }>();
  for (const { config, device, tagPaths } of sinks) {
    if (device === undefined) continue;
    config.tags.forEach((tag, index) => {
      const key = JSON.stringify([device, tag.address]);
      const first = writers.get(key);
      const path = tagPaths[index] ?? tag.alias;
      if (first === undefined) writers.set(key, { sink: config.name, path });
      else if (first.sink !== config.name) {
        context.notes.push(`${path} writes ${tag.address} on ${device}, as ${first.path} does: the last write wins`);
      }
    });
  }
}

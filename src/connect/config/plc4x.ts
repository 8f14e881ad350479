// The PLC4X Kafka connector's flat keys (properties or Kafka Connect JSON), taken unchanged, to a draft connector.
import { connectKeyKind, DEAD_LETTER_KEY, IGNORED_BECAUSE, type IgnoredKind } from "./connect-keys.ts";
import type { DraftConnector, DraftJob, DraftSink, DraftSource, DraftTag, Located } from "./draft.ts";
import type { ProblemList, Where } from "./errors.ts";
import { type FlatEntry, FlatKeys } from "./flat-keys.ts";
import { closestName, unknownKeyMessage } from "./suggest.ts";
import { parseInteger } from "./units.ts";

export const PLC4X_CONNECTOR_CLASSES = [
  "org.apache.plc4x.kafka.Plc4xSourceConnector",
  "org.apache.plc4x.kafka.Plc4xSinkConnector",
] as const;
/** Kafka Connect also accepts a connector by its simple class name or that name without "Connector". */
const CLASS_ALIASES = ["Plc4xSourceConnector", "Plc4xSinkConnector", "Plc4xSource", "Plc4xSink"];

const CONNECTOR_KEYS = [
  "name",
  "connector.class",
  "tasks.max",
  "default.topic",
  "sources",
  "jobs",
  "sinks",
  "topics",
  DEAD_LETTER_KEY,
];
const SOURCE_KEYS = ["connectionString", "jobReferences", "pollReturnInterval", "bufferSize"];
/** PLC4X's source task hands records to Kafka Connect through an in-memory queue; Fabrik has none. */
const IGNORED_SOURCE_KEYS = {
  pollReturnInterval: "Fabrik sends records as they are sampled (delivery.linger batches them)",
  bufferSize: "Fabrik queues records on disk while Kafka is away (buffer.maxBytes), not in memory",
} as const;
const JOB_KEYS = ["interval", "tags", "fields"];
const SINK_KEYS = ["connectionString", "topic", "retries", "timeout", "tags", "fields"];

/** Translates PLC4X keys; problems name the user's own keys. Kafka Connect's keys are noted as ignored in `notes`. */
export function readPlc4xFormat(entries: readonly FlatEntry[], problems: ProblemList, notes: string[]): DraftConnector {
  const keys = new FlatKeys(entries, problems, notes);
  const name = keys.get("name");
  const connectorClass = keys.get("connector.class");
  if (connectorClass !== undefined) checkConnectorClass(problems, connectorClass);
  const tasksMax = keys.get("tasks.max");
  if (tasksMax !== undefined) {
    const parsed = parseInteger(tasksMax.value, { min: 1, max: 10_000 });
    if (!parsed.ok) problems.add(tasksMax, parsed.message);
    notes.push("tasks.max is ignored: Fabrik spreads sources over the workers of its group by itself");
  }

  const jobNames = keys.list("jobs");
  const jobs = new Map(jobNames.map((name) => [String(name.value), readJob(keys, problems, name)]));
  const referenced = new Set<string>();
  const defaultTopic = keys.get("default.topic");
  const sourceNames = keys.list("sources");
  const sources = sourceNames.map((name) => {
    const source = readSource(keys, problems, notes, name, jobs, defaultTopic);
    for (const job of source.jobs) referenced.add(String(job.name.value));
    return source;
  });
  for (const name of jobNames) {
    if (!referenced.has(String(name.value)))
      notes.push(`job '${name.value}' is not referenced by any source: it never runs`);
  }

  const topics = keys.list("topics");
  const deadLetterTopic = keys.get(DEAD_LETTER_KEY);
  const sinkNames = keys.list("sinks");
  const sinks = sinkNames.map((name) => readSink(keys, problems, name, topics, deadLetterTopic));
  for (const topic of topics) {
    if (!sinks.some((sink) => sink.topics.some((t) => t.value === topic.value))) {
      notes.push(`topics: no sink writes the records of '${topic.value}'`);
    }
  }

  reportUnread(keys, problems, notes, {
    sources: sourceNames.map((n) => String(n.value)),
    jobs: jobNames.map((n) => String(n.value)),
    sinks: sinkNames.map((n) => String(n.value)),
  });
  return { root: { path: "" }, name, topic: undefined, format: undefined, sources, sinks };
}

function checkConnectorClass(problems: ProblemList, located: Located): void {
  const value = String(located.value);
  if ((PLC4X_CONNECTOR_CLASSES as readonly string[]).includes(value) || CLASS_ALIASES.includes(value)) return;
  problems.add(located, `'${value}' is not a PLC4X connector; expected ${PLC4X_CONNECTOR_CLASSES.join(" or ")}`);
}

function readSource(
  keys: FlatKeys,
  problems: ProblemList,
  notes: string[],
  name: Located,
  jobs: ReadonlyMap<string, DraftJob>,
  defaultTopic: Located | undefined,
): DraftSource {
  const prefix = `sources.${name.value}`;
  const url = keys.get(`${prefix}.connectionString`);
  if (url === undefined) {
    problems.add(
      keys.where(`${prefix}.connectionString`, "sources"),
      "missing: every source listed in sources needs one",
    );
  }
  for (const [ignored, why] of Object.entries(IGNORED_SOURCE_KEYS)) {
    const located = keys.get(`${prefix}.${ignored}`);
    if (located === undefined) continue;
    // Still an int, as PLC4X's ConfigDef demands: a config Fabrik accepts should load in PLC4X too.
    const parsed = parseInteger(located.value, { min: 1, max: 2 ** 31 - 1 });
    if (!parsed.ok) problems.add(located, parsed.message);
    notes.push(`${located.path} is ignored: ${why}`);
  }

  const referencesKey = `${prefix}.jobReferences`;
  const references = keys.list(referencesKey);
  const draftJobs: DraftJob[] = [];
  for (const reference of references) {
    const jobName = String(reference.value);
    const job = jobs.get(jobName);
    const topicKey = `${referencesKey}.${jobName}.topic`;
    const topic = keys.get(topicKey) ?? defaultTopic;
    if (job === undefined) {
      const near = closestName(jobName, jobs.keys());
      const hint =
        near === undefined ? `jobs lists ${[...jobs.keys()].join(", ") || "none"}` : `did you mean '${near}'?`;
      problems.add(reference, `job '${jobName}' is not defined: ${hint}`);
    } else {
      if (topic === undefined) {
        problems.add(keys.where(topicKey, referencesKey), "missing: no topic for this job, and no default.topic");
      }
      draftJobs.push({ ...job, topic });
    }
  }
  // A source whose references all failed was explained above; one with none at all is explained by the validator.
  const noJobsAt = references.length === 0 ? keys.where(referencesKey, "sources") : undefined;
  return { name, url, noJobsAt, jobs: draftJobs };
}

function readJob(keys: FlatKeys, problems: ProblemList, name: Located): DraftJob {
  const prefix = `jobs.${name.value}`;
  const { tags, tagsAt } = readTagList(keys, problems, prefix, "jobs");
  return { name, tags, tagsAt, interval: keys.get(`${prefix}.interval`) };
}

/** `X.tags=a,b` with `X.tags.a=...`, or `fields` as older PLC4X releases wrote it. */
function readTagList(
  keys: FlatKeys,
  problems: ProblemList,
  prefix: string,
  listedIn: string,
): { tags: DraftTag[]; tagsAt: Where } {
  const hasFields = keys.has(`${prefix}.fields`) || keys.unread(`${prefix}.fields.`).length > 0;
  const word = hasFields && !keys.has(`${prefix}.tags`) ? "fields" : "tags";
  if (keys.has(`${prefix}.tags`) && keys.has(`${prefix}.fields`)) {
    problems.add(keys.where(`${prefix}.fields`), `give ${prefix}.tags or ${prefix}.fields (the older name), not both`);
    for (const key of [`${prefix}.fields`, ...keys.unread(`${prefix}.fields.`)]) keys.markRead(key);
  }
  const listKey = `${prefix}.${word}`;
  const tags: DraftTag[] = [];
  for (const alias of keys.list(listKey)) {
    const addressKey = `${listKey}.${alias.value}`;
    const address = keys.get(addressKey);
    if (address === undefined) {
      problems.add(
        keys.where(addressKey, listKey),
        `missing: '${alias.value}' is listed in ${listKey} but has no address`,
      );
    } else {
      tags.push({ alias, address });
    }
  }
  for (const key of keys.unread(`${listKey}.`)) {
    keys.markRead(key);
    problems.add(keys.where(key), `'${key.slice(listKey.length + 1)}' has an address but is not listed in ${listKey}`);
  }
  return { tags, tagsAt: keys.where(listKey, listedIn) };
}

function readSink(
  keys: FlatKeys,
  problems: ProblemList,
  name: Located,
  topics: readonly Located[],
  deadLetterTopic: Located | undefined,
): DraftSink {
  const prefix = `sinks.${name.value}`;
  const url = keys.get(`${prefix}.connectionString`);
  if (url === undefined) {
    problems.add(keys.where(`${prefix}.connectionString`, "sinks"), "missing: every sink listed in sinks needs one");
  }
  const topicKey = `${prefix}.topic`;
  const topic = keys.get(topicKey);
  if (topic === undefined) {
    problems.add(keys.where(topicKey, "sinks"), "missing: a sink names the topic whose records it writes");
  } else if (topics.length > 0 && !topics.some((t) => t.value === topic.value)) {
    const listed = topics.map((t) => t.value).join(", ");
    problems.add(topic, `'${topic.value}' is not in topics (${listed}): the sink would never receive its records`);
  }
  const { tags, tagsAt } = readTagList(keys, problems, prefix, "sinks");
  return {
    name,
    url,
    topics: topic === undefined ? [] : [topic],
    tags,
    tagsAt,
    retries: keys.get(`${prefix}.retries`),
    timeout: keys.get(`${prefix}.timeout`),
    deadLetterTopic,
  };
}

/** Every key not read: Kafka Connect's own are noted as ignored, grouped by why; the rest are problems. */
function reportUnread(
  keys: FlatKeys,
  problems: ProblemList,
  notes: string[],
  listed: { readonly sources: readonly string[]; readonly jobs: readonly string[]; readonly sinks: readonly string[] },
): void {
  const ignored = new Map<IgnoredKind, string[]>();
  for (const key of keys.unread()) {
    const kind = connectKeyKind(key);
    if (kind !== undefined) {
      ignored.set(kind, [...(ignored.get(kind) ?? []), key]);
      continue;
    }
    const scope = (["sources", "jobs", "sinks"] as const).find((s) => key.startsWith(`${s}.`));
    problems.add(
      keys.where(key),
      scope === undefined ? unknownKeyMessage(key, CONNECTOR_KEYS) : scopedProblem(key, scope, listed[scope]),
    );
  }
  for (const [kind, list] of ignored) notes.push(`ignored (${IGNORED_BECAUSE[kind]}): ${list.join(", ")}`);
}

const KNOWN_BY_SCOPE = { sources: SOURCE_KEYS, jobs: JOB_KEYS, sinks: SINK_KEYS } as const;
const SINGULAR = { sources: "source", jobs: "job", sinks: "sink" } as const;

/** Why `sources.X.rest` (or jobs./sinks.) was not read: X is not listed, or `rest` is not a key of such an X. */
function scopedProblem(key: string, scope: "sources" | "jobs" | "sinks", listed: readonly string[]): string {
  const inScope = key.slice(scope.length + 1);
  // Names may hold dots: the longest listed name the key continues with is the one meant.
  const name = listed.filter((n) => inScope.startsWith(`${n}.`)).sort((a, b) => b.length - a.length)[0];
  if (name === undefined) {
    const written = inScope.split(".")[0] ?? inScope;
    const near = closestName(written, listed);
    const hint = near === undefined ? "" : `; did you mean '${near}'?`;
    return `${SINGULAR[scope]} '${written}' is not listed in ${scope} (${listed.join(", ") || "empty"})${hint}`;
  }
  const rest = inScope.slice(name.length + 1);
  const references = `${scope}.${name}.jobReferences.`;
  if (scope === "sources" && key.startsWith(references)) {
    const [job, ...tail] = key.slice(references.length).split(".");
    if (tail.join(".") === "topic") return `job '${job}' is not in ${scope}.${name}.jobReferences`;
    return unknownKeyMessage(tail.join("."), ["topic"]);
  }
  return unknownKeyMessage(rest, KNOWN_BY_SCOPE[scope]);
}

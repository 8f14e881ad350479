// Fabrik's own configuration shape (YAML or JSON, see docs/connect.md) to a draft, reporting unknown keys and bad shapes.
import { formatPath, type Locator, type PathSegment } from "./document.ts";
import type {
  DraftConnector,
  DraftJob,
  DraftReportByException,
  DraftSink,
  DraftSource,
  DraftTag,
  Located,
} from "./draft.ts";
import type { ProblemList, Where } from "./errors.ts";
import { unknownKeyMessage } from "./suggest.ts";
import { describeValue } from "./units.ts";

const CONNECTOR_KEYS = ["name", "topic", "format", "sources", "sinks", "delivery", "buffer"] as const;
const SOURCE_KEYS = ["url", "jobs"] as const;
const JOB_KEYS = [
  "name",
  "interval",
  "subscribe",
  "tags",
  "topic",
  "key",
  "format",
  "reportByException",
  "expires",
] as const;
const TAG_KEYS = ["address", "unit", "description"] as const;
const REPORT_BY_EXCEPTION_KEYS = ["deadband", "heartbeat"] as const;
const SINK_KEYS = ["url", "topics", "topic", "tags", "retries", "timeout", "deadLetterTopic", "groupId"] as const;
const DELIVERY_KEYS = ["linger", "batchSize"] as const;
const BUFFER_KEYS = ["dir", "maxBytes", "maxAge", "whenFull"] as const;

type Mapping = Readonly<Record<string, unknown>>;

/** Reads the document's shape; values stay unchecked (the validator judges them) but keep their paths and places. */
class ShapeReader {
  readonly #problems: ProblemList;
  readonly #locate: Locator;

  constructor(problems: ProblemList, locate: Locator) {
    this.#problems = problems;
    this.#locate = locate;
  }

  /** Where a key is written (or, for a missing key, its parent). */
  where(path: readonly PathSegment[]): Where {
    for (let depth = path.length; depth >= 0; depth--) {
      const at = this.#locate(path.slice(0, depth), "key");
      if (at !== undefined) return { path: formatPath(path), ...at };
    }
    return { path: formatPath(path) };
  }

  value(path: readonly PathSegment[], value: unknown): Located {
    const at = this.#locate(path, "value") ?? this.where(path);
    return { path: formatPath(path), value, ...(at.line === undefined ? {} : { line: at.line, column: at.column }) };
  }

  /** The field of `mapping` as a Located value, undefined when it is absent. */
  field(mapping: Mapping, path: readonly PathSegment[], key: string): Located | undefined {
    return mapping[key] === undefined ? undefined : this.value([...path, key], mapping[key]);
  }

  /**
   * A field that must be given: when absent, `missing: ${why}` is a problem at its place. A `mapping` that is undefined
   * was no mapping at all, which `mapping()` reported already.
   */
  required(mapping: Mapping | undefined, path: readonly PathSegment[], key: string, why: string): Located | undefined {
    if (mapping === undefined) return undefined;
    const field = this.field(mapping, path, key);
    if (field === undefined) this.problem(this.where([...path, key]), `missing: ${why}`);
    return field;
  }

  problem(where: Where, message: string): void {
    this.#problems.add(where, message);
  }

  /** `value` as a mapping whose keys are all in `known`; each other key is a problem (with a "did you mean"). */
  mapping(path: readonly PathSegment[], value: unknown, known: readonly string[]): Mapping | undefined {
    if (!isMapping(value)) {
      this.problem(this.value(path, value), `expected a mapping, found ${describeValue(value)}`);
      return undefined;
    }
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.problem(this.where([...path, key]), unknownKeyMessage(key, known));
    }
    return value;
  }

  /** A mapping of names to anything: `sources`, `sinks`, `tags`. */
  named(path: readonly PathSegment[], value: unknown): [string, unknown][] {
    if (value === undefined) return [];
    if (!isMapping(value)) {
      this.problem(this.value(path, value), `expected a mapping of names, found ${describeValue(value)}`);
      return [];
    }
    return Object.entries(value);
  }
}

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Translates a Fabrik-shaped document; shape problems go to `problems`. */
export function readFabrikFormat(value: unknown, locate: Locator, problems: ProblemList): DraftConnector {
  const reader = new ShapeReader(problems, locate);
  const root = reader.mapping([], value, CONNECTOR_KEYS) ?? {};
  const delivery =
    root.delivery === undefined ? {} : (reader.mapping(["delivery"], root.delivery, DELIVERY_KEYS) ?? {});
  const buffer = root.buffer === undefined ? {} : (reader.mapping(["buffer"], root.buffer, BUFFER_KEYS) ?? {});
  return {
    root: reader.where([]),
    name: reader.field(root, [], "name"),
    topic: reader.field(root, [], "topic"),
    format: reader.field(root, [], "format"),
    sources: reader.named(["sources"], root.sources).map(([name, source]) => readSource(reader, name, source)),
    sinks: reader.named(["sinks"], root.sinks).map(([name, sink]) => readSink(reader, name, sink)),
    linger: reader.field(delivery, ["delivery"], "linger"),
    batchSize: reader.field(delivery, ["delivery"], "batchSize"),
    bufferDir: reader.field(buffer, ["buffer"], "dir"),
    maxBytes: reader.field(buffer, ["buffer"], "maxBytes"),
    maxAge: reader.field(buffer, ["buffer"], "maxAge"),
    whenFull: reader.field(buffer, ["buffer"], "whenFull"),
  };
}

function nameOf(reader: ShapeReader, path: readonly PathSegment[], name: string): Located {
  return { ...reader.where(path), value: name };
}

function readSource(reader: ShapeReader, name: string, value: unknown): DraftSource {
  const path = ["sources", name];
  const given = reader.mapping(path, value, SOURCE_KEYS);
  const url = reader.required(given, path, "url", "a source needs a url");
  const source = given ?? {};
  const jobsPath = [...path, "jobs"];
  let jobs: DraftJob[] = [];
  if (Array.isArray(source.jobs)) {
    jobs = source.jobs.map((job: unknown, index) => readJob(reader, [...jobsPath, index], job));
  } else if (source.jobs !== undefined) {
    reader.problem(reader.value(jobsPath, source.jobs), `expected a list of jobs, found ${describeValue(source.jobs)}`);
  }
  return { name: nameOf(reader, path, name), url, noJobsAt: reader.where(jobsPath), jobs };
}

function readJob(reader: ShapeReader, path: readonly PathSegment[], value: unknown): DraftJob {
  const given = reader.mapping(path, value, JOB_KEYS);
  const name = reader.required(given, path, "name", "a job needs a name");
  const job = given ?? {};
  return {
    name: name ?? { ...reader.where(path), value: "" },
    tagsAt: reader.where([...path, "tags"]),
    tags: readTags(reader, [...path, "tags"], job.tags),
    interval: reader.field(job, path, "interval"),
    subscribe: reader.field(job, path, "subscribe"),
    topic: reader.field(job, path, "topic"),
    key: reader.field(job, path, "key"),
    format: reader.field(job, path, "format"),
    reportByException: readReportByException(reader, [...path, "reportByException"], job.reportByException),
    expires: reader.field(job, path, "expires"),
  };
}

/** `alias: address` or `alias: { address, unit?, description? }` (the long form carries per-tag metadata). */
function readTags(reader: ShapeReader, path: readonly PathSegment[], value: unknown): DraftTag[] {
  return reader.named(path, value).map(([alias, entry]) => {
    const tagPath = [...path, alias];
    const aliasAt = nameOf(reader, tagPath, alias);
    if (!isMapping(entry)) return { alias: aliasAt, address: reader.value(tagPath, entry) };
    const tag = reader.mapping(tagPath, entry, TAG_KEYS);
    const address = reader.required(tag, tagPath, "address", "a tag needs an address");
    const unit = tag === undefined ? undefined : reader.field(tag, tagPath, "unit");
    const description = tag === undefined ? undefined : reader.field(tag, tagPath, "description");
    return {
      alias: aliasAt,
      address: address ?? reader.value([...tagPath, "address"], ""),
      ...(unit === undefined ? {} : { unit }),
      ...(description === undefined ? {} : { description }),
    };
  });
}

function readReportByException(
  reader: ShapeReader,
  path: readonly PathSegment[],
  value: unknown,
): DraftReportByException | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (value === true) return { at: reader.where(path) };
  const options = reader.mapping(path, value, REPORT_BY_EXCEPTION_KEYS) ?? {};
  return {
    at: reader.where(path),
    deadband: reader.field(options, path, "deadband"),
    heartbeat: reader.field(options, path, "heartbeat"),
  };
}

function readSink(reader: ShapeReader, name: string, value: unknown): DraftSink {
  const path = ["sinks", name];
  const given = reader.mapping(path, value, SINK_KEYS);
  const url = reader.required(given, path, "url", "a sink needs a url");
  const sink = given ?? {};
  let topics: Located[] = [];
  if (sink.topic !== undefined && sink.topics !== undefined) {
    reader.problem(reader.where([...path, "topic"]), "give topic or topics, not both");
  }
  if (sink.topic !== undefined && sink.topics === undefined) {
    topics = [reader.value([...path, "topic"], sink.topic)];
  } else if (Array.isArray(sink.topics)) {
    topics = sink.topics.map((topic: unknown, index) => reader.value([...path, "topics", index], topic));
  } else if (sink.topics !== undefined) {
    topics = [reader.value([...path, "topics"], sink.topics)];
  }
  return {
    name: nameOf(reader, path, name),
    url: url,
    noTopicsAt: reader.where([...path, "topics"]),
    topics,
    tagsAt: reader.where([...path, "tags"]),
    tags: readTags(reader, [...path, "tags"], sink.tags),
    retries: reader.field(sink, path, "retries"),
    timeout: reader.field(sink, path, "timeout"),
    deadLetterTopic: reader.field(sink, path, "deadLetterTopic"),
    groupId: reader.field(sink, path, "groupId"),
  };
}

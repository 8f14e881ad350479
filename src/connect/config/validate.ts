// Checks a draft connector (from either format) value by value, collecting every problem, and builds ConnectorConfig.
import { resolve } from "node:path";
import { DEFAULTS, LIMITS } from "./defaults.ts";
import type { DraftConnector, DraftSource, Located } from "./draft.ts";
import type { BufferFullPolicy, ConnectorConfig, DeliveryConfig, SourceConfig } from "./model.ts";
import { checkJob, type JobDefaults, RECORD_FORMATS } from "./validate-job.ts";
import { checkSink, noteSharedWrites } from "./validate-sink.ts";
import {
  type CheckContext,
  checkChoice,
  checkDuration,
  checkInteger,
  checkName,
  checkSize,
  checkString,
  checkUnique,
  checkUrl,
} from "./value-checks.ts";

const BUFFER_FULL_POLICIES = ["drop-oldest", "stop-sampling"] as const satisfies readonly BufferFullPolicy[];

export interface DraftOptions {
  /** The connector's name from elsewhere (the REST path) when the configuration has none. */
  readonly name?: string;
  /** Directory a relative buffer `dir` is resolved against (the configuration file's). */
  readonly baseDir?: string;
}

/** The ConnectorConfig of `draft`; meaningful only when `context.problems` is still empty afterwards. */
export function validateDraft(context: CheckContext, draft: DraftConnector, options: DraftOptions): ConnectorConfig {
  const name = checkConnectorName(context, draft, options.name);
  const format =
    draft.format === undefined ? DEFAULTS.format : (checkChoice(context, draft.format, RECORD_FORMATS) ?? "job");
  const defaults: JobDefaults = { connector: name, topic: draft.topic, format };

  if (draft.sources.length === 0 && draft.sinks.length === 0) {
    context.problems.add(draft.root, "nothing to run: the configuration has no sources and no sinks");
  }
  checkUnique(
    context,
    draft.sources.map((source) => source.name),
    "source",
  );
  const sources = draft.sources.map((source) => checkSource(context, source, defaults));

  checkUnique(
    context,
    draft.sinks.map((sink) => sink.name),
    "sink",
  );
  const sinks = draft.sinks.map((sink) => checkSink(context, sink, name));
  noteSharedWrites(context, sinks);

  const delivery = checkDelivery(context, draft, options);
  return { name: name ?? "", sources, sinks: sinks.map((sink) => sink.config), delivery };
}

function checkConnectorName(
  context: CheckContext,
  draft: DraftConnector,
  fromRequest: string | undefined,
): string | undefined {
  if (draft.name === undefined) {
    const located: Located = { ...draft.root, path: "name", value: fromRequest };
    if (fromRequest !== undefined) return checkName(context, located, "connector");
    context.problems.add(located, "missing: a connector needs a name ([A-Za-z0-9._-]+)");
    return undefined;
  }
  const name = checkName(context, draft.name, "connector");
  if (fromRequest !== undefined && draft.name.value !== fromRequest) {
    context.problems.add(draft.name, `the configuration names connector '${name}', the request '${fromRequest}'`);
  }
  return name;
}

function checkSource(context: CheckContext, source: DraftSource, defaults: JobDefaults): SourceConfig {
  const name = checkName(context, source.name, "source");
  const url = checkUrl(context, source.url);
  if (source.jobs.length === 0 && source.noJobsAt !== undefined) {
    context.problems.add(source.noJobsAt, "a source needs at least one job");
  }
  checkUnique(
    context,
    source.jobs.map((job) => job.name),
    "job",
  );
  const jobs = source.jobs.map((job) => checkJob(context, job, name, url.driver, defaults));
  return { name: name ?? "", url: url.url, jobs };
}

function checkDelivery(context: CheckContext, draft: DraftConnector, options: DraftOptions): DeliveryConfig {
  const given =
    draft.bufferDir === undefined
      ? DEFAULTS.bufferDir
      : (checkString(context, draft.bufferDir, "a directory") ?? DEFAULTS.bufferDir);
  // The default too: a file's buffer sits next to the file, whatever directory the worker was started from.
  const dir = options.baseDir === undefined ? given : resolve(options.baseDir, given);
  const whenFull = draft.whenFull && checkChoice(context, draft.whenFull, BUFFER_FULL_POLICIES);
  return {
    lingerMs: checkDuration(context, draft.linger, LIMITS.linger, DEFAULTS.lingerMs),
    batchSize: checkInteger(context, draft.batchSize, LIMITS.batchSize, DEFAULTS.batchSize),
    buffer: {
      dir,
      maxBytes: checkSize(context, draft.maxBytes, LIMITS.bufferMaxBytes, DEFAULTS.bufferMaxBytes),
      maxAgeMs: checkDuration(context, draft.maxAge, LIMITS.bufferMaxAge, DEFAULTS.bufferMaxAgeMs),
      whenFull: whenFull ?? DEFAULTS.whenFull,
    },
  };
}

// Checks one source job (sampling, tags, topic and key templates, report-by-exception) and builds its JobConfig.
import type { Driver, SubscriptionMode } from "../../plc/index.ts";
import { DEFAULTS, defaultTopicTemplate, LIMITS } from "./defaults.ts";
import type { DraftJob, DraftReportByException, Located } from "./draft.ts";
import type { Where } from "./errors.ts";
import type { Deadband, JobConfig, RecordFormat, ReportByException, Sampling } from "./model.ts";
import { type Placeholder, renderTemplate, templateProblems, topicNameProblem } from "./topic-template.ts";
import { describeValue } from "./units.ts";
import { type CheckContext, checkChoice, checkDuration, checkName, checkString, checkTags } from "./value-checks.ts";

export const RECORD_FORMATS = ["job", "tag"] as const satisfies readonly RecordFormat[];
const SUBSCRIPTION_MODES = ["cyclic", "change-of-state", "event"] as const satisfies readonly SubscriptionMode[];

/** What a job inherits from its connector. */
export interface JobDefaults {
  /** Undefined when the connector's name is invalid (that problem is reported once, not in every topic made of it). */
  readonly connector: string | undefined;
  /** The connector's `topic` (Fabrik) or `default.topic` (PLC4X), when given. */
  readonly topic: Located | undefined;
  readonly format: RecordFormat;
}

export function checkJob(
  context: CheckContext,
  job: DraftJob,
  source: string | undefined,
  driver: Driver | undefined,
  defaults: JobDefaults,
): JobConfig {
  const name = checkName(context, job.name, "job");
  const format =
    job.format === undefined ? defaults.format : (checkChoice(context, job.format, RECORD_FORMATS) ?? "job");
  const tags = checkTags(context, job.tags, job.tagsAt, driver, "a job needs at least one tag to read");

  const topicAt = job.topic ?? defaults.topic;
  const topic =
    topicAt === undefined
      ? defaults.connector && defaultTopicTemplate(defaults.connector)
      : checkString(context, topicAt, "a topic");
  if (topic !== undefined) {
    const aliases = tags.map((tag) => tag.alias).filter((alias) => alias !== "");
    // A connector-wide template is reported where it is written, naming the job it does not fit.
    const inherited = job.topic === undefined && defaults.topic !== undefined;
    const names = { source, job: name, ...(inherited ? { inheritedBy: `job '${name}' of source '${source}'` } : {}) };
    checkTopicTemplate(context, topicAt ?? job.name, topic, format, names, aliases);
  }

  const config: JobConfig = {
    name: name ?? "",
    tags,
    sampling: checkSampling(context, job),
    topic: topic ?? "",
    format,
    ...optional("key", checkKey(context, job.key, format)),
    ...optional("reportByException", checkReportByException(context, job.reportByException)),
    ...optional("expiresAfterMs", job.expires && checkDuration(context, job.expires, LIMITS.expires, 0)),
  };
  return config;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function checkSampling(context: CheckContext, job: DraftJob): Sampling {
  if (job.subscribe === undefined) {
    return { kind: "poll", intervalMs: checkDuration(context, job.interval, LIMITS.interval, DEFAULTS.intervalMs) };
  }
  const mode = checkChoice(context, job.subscribe, SUBSCRIPTION_MODES) ?? "cyclic";
  if (mode === "event") {
    if (job.interval !== undefined) {
      context.problems.add(job.interval, "an event subscription is pushed by the device: interval does not apply");
    }
    return { kind: "subscribe", mode };
  }
  const intervalMs = checkDuration(context, job.interval, LIMITS.interval, DEFAULTS.intervalMs);
  return { kind: "subscribe", mode, intervalMs };
}

/**
 * Checks a topic template's placeholders, then the topic names it gives for this source and job (and for each tag,
 * when it names `{tag}`), since those names are all known now.
 */
function checkTopicTemplate(
  context: CheckContext,
  where: Where,
  template: string,
  format: RecordFormat,
  names: { readonly source: string | undefined; readonly job: string | undefined; readonly inheritedBy?: string },
  aliases: readonly string[],
): void {
  const add = (message: string) =>
    context.problems.add(where, names.inheritedBy === undefined ? message : `${message} (for ${names.inheritedBy})`);
  if (format === "job" && template.includes("{tag}")) {
    add("'{tag}' needs format: tag (one record per tag); a job record holds every tag");
    return;
  }
  const allowed: Placeholder[] = format === "tag" ? ["source", "job", "tag"] : ["source", "job"];
  const problems = templateProblems(template, allowed);
  for (const problem of problems) add(`topic template '${template}': ${problem}`);
  const { source, job } = names;
  // A name that is itself invalid was reported; the topics made of it would only repeat that.
  if (problems.length > 0 || source === undefined || job === undefined) return;
  const rendered = template.includes("{tag}")
    ? aliases.map((tag) => renderTemplate(template, { source, job, tag }))
    : [renderTemplate(template, { source, job })];
  for (const topic of rendered) {
    const problem = topicNameProblem(topic);
    if (problem === undefined) continue;
    add(topic === template ? problem : `topic template '${template}' gives '${topic}': ${problem}`);
  }
}

function checkKey(context: CheckContext, key: Located | undefined, format: RecordFormat): string | undefined {
  if (key === undefined) return format === "tag" ? DEFAULTS.tagKey : undefined;
  if (format !== "tag") {
    context.problems.add(key, "key is for format: tag; a job record's key is {sourceName, jobName}, as in PLC4X");
    return undefined;
  }
  const template = checkString(context, key, "a key template");
  if (template === undefined) return undefined;
  for (const problem of templateProblems(template, ["source", "job", "tag"])) {
    context.problems.add(key, `key template '${template}': ${problem}`);
  }
  return template;
}

function checkReportByException(
  context: CheckContext,
  draft: DraftReportByException | undefined,
): ReportByException | undefined {
  if (draft === undefined) return undefined;
  const deadband = draft.deadband && checkDeadband(context, draft.deadband);
  const heartbeatMs = draft.heartbeat && checkDuration(context, draft.heartbeat, LIMITS.heartbeat, 0);
  return { ...optional("deadband", deadband), ...optional("heartbeatMs", heartbeatMs) };
}

const PERCENT = /^\s*([0-9]+(?:\.[0-9]+)?)\s*%\s*$/;

/** A number is an absolute deadband in the tag's unit; `"2%"` is relative to the last value reported. */
function checkDeadband(context: CheckContext, located: Located): Deadband | undefined {
  const { value } = located;
  const percent = typeof value === "string" ? PERCENT.exec(value) : null;
  if (percent !== null) {
    const { min, max } = LIMITS.deadbandPercent;
    const number = Number(percent[1]);
    if (number >= min && number <= max) return { kind: "percent", value: number };
    context.problems.add(located, `deadband ${number}% is out of range; expected ${min}%..${max}%`);
    return undefined;
  }
  const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  if (typeof number === "number" && Number.isFinite(number) && number >= 0) return { kind: "absolute", value: number };
  context.problems.add(
    located,
    `expected a deadband: a number >= 0 in the tag's unit or a percentage like '2%', found ${describeValue(value)}`,
  );
  return undefined;
}

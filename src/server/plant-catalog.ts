// What the plant is, as the connectors a server knows describe it: sources, jobs, tags and the topics their records go to.
import { checkConnectorConfig, type JobConfig, renderTemplate } from "../connect/config/index.ts";
import type { ConnectService, RawConnectorConfig } from "../connect/service.ts";
import { redactUrl } from "../plc/index.ts";
import { findWritableTags, type TagWriter, type WritableTag, writableKey } from "./writable-tags.ts";

/** A tag as the live feed's `plant` event shows it. */
export interface PlantTag {
  readonly alias: string;
  readonly address: string;
  readonly unit?: string;
  readonly description?: string;
  /** Present when a sink of the same connector allow-lists this tag on the same device: POST /api/write may set it. */
  readonly writable?: TagWriter;
}

export interface PlantJob {
  readonly name: string;
  /** The job's topic; for a tag-format job whose template names `{tag}`, the template with `{tag}` left in. */
  readonly topic: string;
  readonly format: "job" | "tag";
  /** The sampling interval; null for a job the device pushes (subscribe: event). */
  readonly intervalMs: number | null;
  readonly tags: readonly PlantTag[];
}

export interface PlantSource {
  readonly connector: string;
  readonly source: string;
  /** The URL's scheme: `modbus-tcp`, `s7`, `simulated`, … */
  readonly protocol: string;
  /** The connection URL with any password replaced by `****`. */
  readonly url: string;
  readonly jobs: readonly PlantJob[];
}

/** The `plant` event's data. */
export interface Plant {
  readonly sources: readonly PlantSource[];
}

/** One job of one source of one connector, with what reading its records takes. */
export interface JobRef {
  readonly connector: string;
  readonly source: string;
  readonly job: JobConfig;
  /** The task that runs the source (Kafka Connect's numbering: one task per source, in the config's order). */
  readonly task: number;
}

/** Where each topic's records come from: job records by `source\0job`, tag records by their key text. */
export interface TopicIndex {
  readonly jobs: Map<string, JobRef>;
  readonly tagKeys: Map<string, { readonly ref: JobRef; readonly tag: string }>;
  /** How many records of this topic hold the last `n` samples of each series: `n` times this. */
  recordsPerRound: number;
}

export interface PlantCatalog {
  readonly plant: Plant;
  /** Equal for equal catalogs: the feed sends `plant` again only when it changes. */
  readonly fingerprint: string;
  readonly jobs: readonly JobRef[];
  readonly topics: ReadonlyMap<string, TopicIndex>;
  /** Connectors whose configuration could not be read, with why (they are left out). */
  readonly unreadable: readonly string[];
  /** The tags a sink may write, by writableKey(connector, source, alias). */
  readonly writable: ReadonlyMap<string, WritableTag>;
}

export function jobSeriesKey(source: string, job: string): string {
  return `${source}\u0000${job}`;
}

function protocolOf(url: string): string {
  const at = url.indexOf(":");
  return at < 0 ? url : url.slice(0, at);
}

function indexOf(topics: Map<string, TopicIndex>, topic: string): TopicIndex {
  let index = topics.get(topic);
  if (index === undefined) {
    index = { jobs: new Map(), tagKeys: new Map(), recordsPerRound: 0 };
    topics.set(topic, index);
  }
  return index;
}

/** The catalog of these connectors' configurations, as the connect service stores them. */
export function buildCatalog(connectors: readonly { name: string; config: RawConnectorConfig }[]): PlantCatalog {
  const sources: PlantSource[] = [];
  const jobs: JobRef[] = [];
  const topics = new Map<string, TopicIndex>();
  const unreadable: string[] = [];
  const writable = new Map<string, WritableTag>();
  for (const { name, config: raw } of [...connectors].sort((a, b) => a.name.localeCompare(b.name))) {
    const checked = checkConnectorConfig(raw, { name });
    if (!checked.ok) {
      unreadable.push(`${name}: ${checked.problems.length} problem(s) in its configuration`);
      continue;
    }
    const writers = findWritableTags(name, checked.config);
    for (const [key, tag] of writers) writable.set(key, tag);
    checked.config.sources.forEach((source, task) => {
      const plantJobs = source.jobs.map((job): PlantJob => {
        const ref: JobRef = { connector: name, source: source.name, job, task };
        jobs.push(ref);
        const names = { source: source.name, job: job.name };
        if (job.format === "job") {
          const index = indexOf(topics, renderTemplate(job.topic, names));
          // Two connectors writing one source's job to one topic cannot be told apart; the first keeps it.
          if (!index.jobs.has(jobSeriesKey(source.name, job.name))) {
            index.jobs.set(jobSeriesKey(source.name, job.name), ref);
            index.recordsPerRound++;
          }
        } else {
          for (const tag of job.tags) {
            const index = indexOf(topics, renderTemplate(job.topic, { ...names, tag: tag.alias }));
            const key = renderTemplate(job.key ?? "{source}/{tag}", { ...names, tag: tag.alias });
            if (!index.tagKeys.has(key)) {
              index.tagKeys.set(key, { ref, tag: tag.alias });
              index.recordsPerRound++;
            }
          }
        }
        return {
          name: job.name,
          topic: renderTemplate(job.topic, names),
          format: job.format,
          intervalMs: job.sampling.intervalMs ?? null,
          tags: job.tags.map((tag) => {
            const writer = writers.get(writableKey(name, source.name, tag.alias));
            return {
              alias: tag.alias,
              address: tag.address,
              ...(tag.unit === undefined ? {} : { unit: tag.unit }),
              ...(tag.description === undefined ? {} : { description: tag.description }),
              ...(writer === undefined ? {} : { writable: { sink: writer.sink.name, topic: writer.topic } }),
            };
          }),
        };
      });
      sources.push({
        connector: name,
        source: source.name,
        protocol: protocolOf(source.url),
        url: redactUrl(source.url),
        jobs: plantJobs,
      });
    });
  }
  const plant: Plant = { sources };
  return { plant, fingerprint: JSON.stringify(plant), jobs, topics, unreadable, writable };
}

/** Reads every connector the service knows and builds their catalog. */
export async function readCatalog(service: ConnectService): Promise<PlantCatalog> {
  const names = await service.connectorNames();
  const infos = await Promise.all(names.map((name) => service.connector(name)));
  return buildCatalog(infos.flatMap((info) => (info === undefined ? [] : [{ name: info.name, config: info.config }])));
}

/** The job of a catalog by names; undefined when there is none. */
export function findJob(catalog: PlantCatalog, connector: string, source: string, job: string): JobRef | undefined {
  return catalog.jobs.find((ref) => ref.connector === connector && ref.source === source && ref.job.name === job);
}

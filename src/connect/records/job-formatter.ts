// Turns one job's samples into the records its config asks for: format, key, topic, expiry and report-by-exception.
import type { ReadResponse } from "../../plc/index.ts";
import type { JobConfig } from "../config/model.ts";
import { renderTemplate } from "../config/topic-template.ts";
import { JobRecordWriter, sampleTime } from "./job-record.ts";
import type { KafkaRecordDraft, RecordSample } from "./record.ts";
import { ChangeFilter } from "./report-by-exception.ts";
import { DEFAULT_TAG_KEY, tagRecords } from "./tag-record.ts";

/** A record ready for the producer. */
export interface TopicRecord extends KafkaRecordDraft {
  readonly topic: string;
}

/**
 * One per job of a source, living as long as the job runs: it keeps the job's report-by-exception state. Report-by-
 * exception time is the sample time (sampleTime), not the wall clock, so that heartbeats follow the data.
 */
export class JobFormatter {
  readonly #source: string;
  readonly #job: JobConfig;
  readonly #filter: ChangeFilter | undefined;
  /** The job format has one topic; rendered once. */
  readonly #jobTopic: string;
  readonly #writer: JobRecordWriter;

  constructor(source: string, job: JobConfig) {
    this.#source = source;
    this.#job = job;
    this.#filter = job.reportByException === undefined ? undefined : new ChangeFilter(job.reportByException);
    this.#jobTopic = renderTemplate(job.topic, { source, job: job.name });
    this.#writer = new JobRecordWriter(source, job.name, job.expiresAfterMs);
  }

  /** The records of one sample: none when report-by-exception finds nothing worth sending. */
  records(sample: { readonly readings: ReadResponse; readonly sampledAt: number }): TopicRecord[] {
    const job = this.#job;
    const filter = this.#filter;
    if (job.format === "job") {
      if (filter !== undefined && !filter.acceptJob(sample.readings, sampleTime(sample))) return [];
      const { key, value, timestamp } = this.#writer.record(sample.readings, sample.sampledAt);
      return [{ topic: this.#jobTopic, key, value, timestamp }];
    }
    const readings = filter === undefined ? sample.readings : filter.acceptTags(sample.readings, sampleTime(sample));
    return tagRecords(this.#sample(readings, sample.sampledAt), job.key ?? DEFAULT_TAG_KEY).map((record) => ({
      topic: this.#tagTopic(record.tag),
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
    }));
  }

  /** Every topic this job's records can go to (so that they can be created before the first record). */
  topics(): string[] {
    if (this.#job.format === "job") return [this.#jobTopic];
    return [...new Set(this.#job.tags.map((tag) => this.#tagTopic(tag.alias)))];
  }

  #tagTopic(tag: string): string {
    return renderTemplate(this.#job.topic, { source: this.#source, job: this.#job.name, tag });
  }

  /** Forgets report-by-exception state: after a restart every tag is sent again, so consumers see the present. */
  reset(): void {
    this.#filter?.reset();
  }

  #sample(readings: ReadResponse, sampledAt: number): RecordSample {
    const { expiresAfterMs } = this.#job;
    return {
      source: this.#source,
      job: this.#job.name,
      readings,
      sampledAt,
      ...(expiresAfterMs === undefined ? {} : { expiresAfterMs }),
    };
  }
}

// What both configuration formats (Fabrik's YAML/JSON and PLC4X's flat keys) translate into before values are checked.
import type { Where } from "./errors.ts";

/**
 * A value as the user wrote it, not yet checked, with where it was written: its path is in the user's own terms
 * (`sources.press.jobs[1].interval`, or the PLC4X key `jobs.dashboard.interval`), so problems point at their input.
 */
export interface Located extends Where {
  readonly value: unknown;
}

export interface DraftTag {
  /** Where the alias was written (its key), for name problems. */
  readonly alias: Located;
  readonly address: Located;
  /** The long form's optional display metadata, carried to the UI and never sent to the PLC. */
  readonly unit?: Located;
  readonly description?: Located;
}

export interface DraftReportByException {
  readonly at: Where;
  readonly deadband?: Located;
  readonly heartbeat?: Located;
}

export interface DraftJob {
  readonly name: Located;
  /** Where the tags are (or should be), for "a job needs tags". */
  readonly tagsAt: Where;
  readonly tags: readonly DraftTag[];
  readonly interval?: Located;
  readonly subscribe?: Located;
  readonly topic?: Located;
  readonly key?: Located;
  readonly format?: Located;
  readonly reportByException?: DraftReportByException;
  readonly expires?: Located;
}

export interface DraftSource {
  readonly name: Located;
  /** Absent when the front end already reported it missing. */
  readonly url?: Located;
  /** Where to report a source without jobs; absent when the front end already said why it has none. */
  readonly noJobsAt?: Where;
  readonly jobs: readonly DraftJob[];
}

export interface DraftSink {
  readonly name: Located;
  readonly url?: Located;
  /** Where to report a sink without topics; absent when the front end already said why it has none. */
  readonly noTopicsAt?: Where;
  readonly topics: readonly Located[];
  readonly tagsAt: Where;
  readonly tags: readonly DraftTag[];
  readonly retries?: Located;
  readonly timeout?: Located;
  readonly deadLetterTopic?: Located;
  readonly groupId?: Located;
}

export interface DraftConnector {
  /** Where the whole configuration is, for problems about it as a whole ("nothing to run"). */
  readonly root: Where;
  readonly name?: Located;
  /** Default topic template of jobs that name none. */
  readonly topic?: Located;
  /** Default record format. */
  readonly format?: Located;
  readonly sources: readonly DraftSource[];
  readonly sinks: readonly DraftSink[];
  readonly linger?: Located;
  readonly batchSize?: Located;
  readonly bufferDir?: Located;
  readonly maxBytes?: Located;
  readonly maxAge?: Located;
  readonly whenFull?: Located;
}

// What bench/sql's parent and its measured processes (the engine, the raw passthrough) say to each other over IPC.

/** How the engine process runs the statements: through startSqlEngine, or the pipeline and QueryTask driven directly. */
export type Driver = "engine" | "task";

export interface EnginePlan {
  readonly bootstrapServers: readonly string[];
  readonly driver: Driver;
  /** ksql.service.id: fresh per run, so its command topic, groups and internal topics are its own. */
  readonly serviceId: string;
  /** CREATE STREAM/TABLE over the preloaded topics: run before anything is measured. */
  readonly setupSql: string;
  /** SET 'auto.offset.reset'='earliest'; CREATE … AS SELECT: the measured query. */
  readonly querySql: string;
  /** When set, the engine's CPU profile from the statement to the end is written here. */
  readonly profileFile?: string;
}

/** The raw ceiling's process (passthrough.ts): every record of `source` copied to `sink`, committed as `groupId`. */
export interface RawPlan {
  readonly bootstrapServers: readonly string[];
  readonly source: string;
  readonly sink: string;
  readonly groupId: string;
}

/** The engine process's CPU and memory at one moment (process.cpuUsage / memoryUsage inside it). */
export interface Snapshot {
  /** Date.now() when taken. */
  readonly at: number;
  /** User + system CPU time so far, microseconds. */
  readonly cpuMicros: number;
  readonly rssMb: number;
}

/** Parent → engine process, after the plan: run the query, take a snapshot, or report and exit. */
export type EngineCommand = { readonly type: "run" } | { readonly type: "mark" } | { readonly type: "finish" };

export type EngineEvent =
  /** Setup statements done: the engine waits for "run". */
  | { readonly type: "ready" }
  /** The query's statement was issued at `before.at` and accepted; its consumer group is `groupId`. */
  | {
      readonly type: "started";
      readonly queryId: string;
      readonly groupId: string;
      readonly before: Snapshot;
      readonly after: Snapshot;
    }
  | { readonly type: "mark"; readonly snapshot: Snapshot }
  | { readonly type: "report"; readonly report: EngineReport }
  | { readonly type: "failed"; readonly message: string };

export interface EngineReport {
  /** What ran: the engine, the pipeline driven directly, or the raw passthrough (the ceiling). */
  readonly driver: Driver | "raw";
  /** Median of RSS samples taken every 250 ms from "run" to "finish". */
  readonly rssMedianMb: number;
  /** The kernel's high-water mark of the process's resident set (whole life, engine start included). */
  readonly rssPeakMb: number;
  /** Warnings and errors the engine logged (the first few). */
  readonly log: readonly string[];
}

// Typed errors of the demo: a pipeline script it cannot apply, a statement the engine refused, a step that failed.

export type DemoErrorCode =
  /** The pipeline script holds a statement the demo does not apply (a SELECT, a DROP …) or does not parse. */
  | "DEMO_PIPELINE_INVALID"
  /** The SQL engine refused a statement of the pipeline. */
  | "DEMO_STATEMENT_FAILED"
  /** The connector file cannot run against the simulator. */
  | "DEMO_CONNECTOR_INVALID"
  /** A step of the start-up (Kafka, simulator, connector, SQL engine) failed; the message says which and why. */
  | "DEMO_STEP_FAILED"
  /** `--fresh` could not remove what an earlier run left in Kafka. */
  | "DEMO_RESET_FAILED"
  /** Stopped (Ctrl-C) before it was ready; what had started has been stopped. */
  | "DEMO_ABORTED";

export class DemoError extends Error {
  readonly code: DemoErrorCode;
  /** Where: `pipeline.sql:42` for a statement, the step's name for a start-up step. */
  readonly where: string;

  constructor(code: DemoErrorCode, where: string, message: string, cause?: unknown) {
    super(`${where}: ${message}`, { cause });
    this.name = "DemoError";
    this.code = code;
    this.where = where;
  }
}

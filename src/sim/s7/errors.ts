// Typed errors of the simulator's S7 face: a DB map that does not fit the model, and options it cannot run with.

export type S7FaceErrorCode = "SIM_S7_MAP_INVALID" | "SIM_S7_OPTION_INVALID";

/** Base of every error the S7 face throws; `code` is stable, the message is for people. */
export abstract class S7FaceError extends Error {
  abstract readonly code: S7FaceErrorCode;
}

/**
 * A machine's S7 map and the plant model disagree: a signal without an address, an address for a signal the machine
 * lacks, a type other than the model's, a setpoint outside its DB, two signals on one byte. Found when the face is built.
 */
export class S7MapError extends S7FaceError {
  readonly code = "SIM_S7_MAP_INVALID";
  readonly machine: string;
  readonly signal: string | undefined;

  constructor(machine: string, signal: string | undefined, problem: string) {
    super(`S7 map of ${machine}${signal === undefined ? "" : `.${signal}`}: ${problem}`);
    this.name = "S7MapError";
    this.machine = machine;
    this.signal = signal;
  }
}

/** A server option out of range (port, latency, PDU size, jobs), named with what it accepts. */
export class S7FaceOptionError extends S7FaceError {
  readonly code = "SIM_S7_OPTION_INVALID";
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`S7 face option ${option}: ${problem}`);
    this.name = "S7FaceOptionError";
    this.option = option;
  }
}

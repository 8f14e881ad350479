// Typed errors of the plant model, each with a stable code a protocol face can turn into its own exception.

export type SimModelErrorCode =
  | "SIM_UNKNOWN_MACHINE"
  | "SIM_UNKNOWN_SIGNAL"
  | "SIM_READ_ONLY"
  | "SIM_TYPE_MISMATCH"
  | "SIM_OUT_OF_RANGE"
  | "SIM_UNKNOWN_FAULT"
  | "SIM_INVALID_OPTION"
  | "SIM_INVALID_CALENDAR";

/** Base of every error the model throws; `code` is stable, the message is for people. */
export abstract class SimModelError extends Error {
  abstract readonly code: SimModelErrorCode;
}

/** No machine has this id. A face answers with "no such device / unit". */
export class UnknownMachineError extends SimModelError {
  readonly code = "SIM_UNKNOWN_MACHINE";
  readonly machine: string;

  constructor(machine: string, known: readonly string[]) {
    super(`unknown machine "${machine}" (the plant has ${known.join(", ")})`);
    this.machine = machine;
  }
}

/** The machine has no signal of this name. A face answers with "illegal address / node id unknown". */
export class UnknownSignalError extends SimModelError {
  readonly code = "SIM_UNKNOWN_SIGNAL";
  readonly machine: string;
  readonly signal: string;

  constructor(machine: string, signal: string) {
    super(`${machine} has no signal "${signal}"`);
    this.machine = machine;
    this.signal = signal;
  }
}

/** The signal is a measurement or a counter; only setpoints take writes. */
export class ReadOnlySignalError extends SimModelError {
  readonly code = "SIM_READ_ONLY";
  readonly machine: string;
  readonly signal: string;

  constructor(machine: string, signal: string) {
    super(`${machine}.${signal} is a measurement and cannot be written`);
    this.machine = machine;
    this.signal = signal;
  }
}

/** The written value is not of the signal's data type (a string to a REAL, 1.5 to a DINT, an array to a scalar). */
export class SignalTypeError extends SimModelError {
  readonly code = "SIM_TYPE_MISMATCH";
  readonly machine: string;
  readonly signal: string;

  constructor(machine: string, signal: string, expected: string, got: string) {
    super(`${machine}.${signal} takes ${expected}, not ${got}`);
    this.machine = machine;
    this.signal = signal;
  }
}

/** The written value has the right type but lies outside what the setpoint allows. */
export class SignalRangeError extends SimModelError {
  readonly code = "SIM_OUT_OF_RANGE";
  readonly machine: string;
  readonly signal: string;

  constructor(machine: string, signal: string, allowed: string, got: string) {
    super(`${machine}.${signal} must be ${allowed}, got ${got}`);
    this.machine = machine;
    this.signal = signal;
  }
}

/** No fault switch of this name; the message lists the ones there are. */
export class UnknownFaultError extends SimModelError {
  readonly code = "SIM_UNKNOWN_FAULT";
  readonly fault: string;

  constructor(fault: string, known: readonly string[]) {
    super(`unknown fault "${fault}" (known: ${known.join(", ")})`);
    this.fault = fault;
  }
}

/** A plant option (seed, start time, tick) that the model cannot run with. */
export class InvalidOptionError extends SimModelError {
  readonly code = "SIM_INVALID_OPTION";
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`plant option ${option}: ${problem}`);
    this.option = option;
  }
}

/** A shift calendar whose shifts overlap or fall outside the day they start on. */
export class InvalidCalendarError extends SimModelError {
  readonly code = "SIM_INVALID_CALENDAR";

  constructor(problem: string) {
    super(`shift calendar: ${problem}`);
  }
}

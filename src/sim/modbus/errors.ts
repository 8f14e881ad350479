// Typed errors of the simulator's Modbus face: a register map that does not fit the model, and options it cannot run with.

export type ModbusFaceErrorCode = "SIM_MODBUS_MAP_INVALID" | "SIM_MODBUS_OPTION_INVALID";

/** Base of every error the Modbus face throws; `code` is stable, the message is for people. */
export abstract class ModbusFaceError extends Error {
  abstract readonly code: ModbusFaceErrorCode;
}

/**
 * The register map and the plant model disagree: a signal without an address, an address for a signal the machine does
 * not have, a type that differs from the model's, a setpoint in a read-only area, two signals on one register. A bug in
 * the map (or a model change the map has not followed), found when the face is built rather than by a client.
 */
export class RegisterMapError extends ModbusFaceError {
  readonly code = "SIM_MODBUS_MAP_INVALID";
  /** Id of the machine whose map is wrong. */
  readonly machine: string;
  /** The signal concerned, when the problem is one signal's. */
  readonly signal: string | undefined;

  constructor(machine: string, signal: string | undefined, problem: string) {
    super(`Modbus register map of ${machine}${signal === undefined ? "" : `.${signal}`}: ${problem}`);
    this.name = "RegisterMapError";
    this.machine = machine;
    this.signal = signal;
  }
}

/** A server option out of range (latency, port, host), named with what it accepts. */
export class ModbusFaceOptionError extends ModbusFaceError {
  readonly code = "SIM_MODBUS_OPTION_INVALID";
  readonly option: string;

  constructor(option: string, problem: string) {
    super(`Modbus face option ${option}: ${problem}`);
    this.name = "ModbusFaceOptionError";
    this.option = option;
  }
}

// One Modbus unit (device) of the simulator: answers decoded requests from its machine's signals through its register map.
import { ModbusValueError } from "../../plc/modbus/errors.ts";
import { EXCEPTION, type ExceptionResponse } from "../../plc/modbus/messages/exception.ts";
import { READ_COILS } from "../../plc/modbus/messages/read-coils.ts";
import { READ_DISCRETE_INPUTS } from "../../plc/modbus/messages/read-discrete-inputs.ts";
import { READ_HOLDING_REGISTERS } from "../../plc/modbus/messages/read-holding-registers.ts";
import { READ_INPUT_REGISTERS } from "../../plc/modbus/messages/read-input-registers.ts";
import { WRITE_MULTIPLE_COILS } from "../../plc/modbus/messages/write-multiple-coils.ts";
import { WRITE_MULTIPLE_REGISTERS } from "../../plc/modbus/messages/write-multiple-registers.ts";
import { WRITE_SINGLE_COIL } from "../../plc/modbus/messages/write-single-coil.ts";
import { WRITE_SINGLE_REGISTER } from "../../plc/modbus/messages/write-single-register.ts";
import type { ModbusRequest, ModbusResponse } from "../../plc/modbus/pdu.ts";
import { decodeCoilValues, decodeRegisters, encodeRegisters } from "../../plc/modbus/registers.ts";
import type { PlcValue } from "../../plc/values.ts";
import { SimModelError } from "../model/errors.ts";
import type { Signal } from "../model/signal.ts";
import { type MapEntry, type MappedArea, type Piece, piecesOf, type UnitMap } from "./register-map.ts";

export interface UnitOptions {
  /**
   * How a read that covers unmapped addresses is answered: false (the default) with ILLEGAL DATA ADDRESS, as sparse
   * devices (meters, drives) do; true with zeros for the gaps, as PLCs that map a whole memory block do.
   */
  readonly fillGaps?: boolean;
}

/** The outcome of one access: the data, or the exception code to answer with. */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly exceptionCode: number };

const refuse = (exceptionCode: number): Outcome<never> => ({ ok: false, exceptionCode });
const done = <T>(value: T): Outcome<T> => ({ ok: true, value });

/**
 * Serves one machine. Reads encode the signals' current values (REAL as IEEE 754, 32-bit values as two registers
 * big-endian); writes decode the registers and write the setpoints into the model, all or nothing. What it answers:
 * - ILLEGAL DATA ADDRESS (2): a read or write that touches an address no signal occupies (reads: unless `fillGaps`),
 *   and a write that covers only part of a multi-register value or lands on a measurement.
 * - ILLEGAL DATA VALUE (3): a setpoint out of its range or not of its type (a NaN REAL, a string not among the choices).
 * - SERVER DEVICE FAILURE (4): the model holds a value its registers cannot carry, or refused a write for a reason
 *   that is no fault of the request.
 * Anything else thrown is a bug and propagates (the gateway answers it with SERVER DEVICE FAILURE too).
 */
export class ModbusUnit {
  readonly unitId: number;
  readonly machine: string;
  private readonly map: UnitMap<Signal>;
  private readonly fillGaps: boolean;

  constructor(map: UnitMap<Signal>, options: UnitOptions = {}) {
    this.map = map;
    this.unitId = map.unitId;
    this.machine = map.machine;
    this.fillGaps = options.fillGaps ?? false;
  }

  /** The response to one decoded request: the normal one, or an exception response. */
  handle(request: ModbusRequest): ModbusResponse | ExceptionResponse {
    const { functionCode } = request;
    const answer = <T>(outcome: Outcome<T>, response: (value: T) => ModbusResponse) =>
      outcome.ok ? response(outcome.value) : { functionCode, exceptionCode: outcome.exceptionCode };
    switch (request.functionCode) {
      case READ_COILS:
      case READ_DISCRETE_INPUTS: {
        const area = request.functionCode === READ_COILS ? "coil" : "discrete-input";
        const outcome = this.readBits(area, request.address, request.quantity);
        return answer(outcome, (values) => ({ functionCode: request.functionCode, values }));
      }
      case READ_HOLDING_REGISTERS:
      case READ_INPUT_REGISTERS: {
        const area = request.functionCode === READ_INPUT_REGISTERS ? "input-register" : "holding-register";
        const outcome = this.readWords(area, request.address, request.quantity);
        return answer(outcome, (values) => ({ functionCode: request.functionCode, values }));
      }
      case WRITE_SINGLE_COIL:
        return answer(this.writeBits(request.address, [request.value]), () => request);
      case WRITE_SINGLE_REGISTER:
        return answer(this.writeWords(request.address, [request.value]), () => request);
      case WRITE_MULTIPLE_COILS:
      case WRITE_MULTIPLE_REGISTERS: {
        const { address, values } = request;
        const outcome =
          request.functionCode === WRITE_MULTIPLE_COILS
            ? this.writeBits(address, request.values)
            : this.writeWords(address, request.values);
        const quantity = values.length;
        return answer(outcome, () => ({ functionCode: request.functionCode, address, quantity }));
      }
    }
  }

  private readBits(area: "coil" | "discrete-input", address: number, quantity: number): Outcome<boolean[]> {
    return this.read(area, address, quantity, false, (entry) => {
      const value = entry.signal.read();
      return Array.isArray(value) ? value.map((v) => v === true) : [value === true];
    });
  }

  private readWords(area: "input-register" | "holding-register", address: number, quantity: number) {
    return this.read(area, address, quantity, 0, (entry) => encodeRegisters(entry.signal.read(), entry.layout));
  }

  private read<T>(
    area: MappedArea,
    address: number,
    quantity: number,
    gap: T,
    encode: (entry: MapEntry<Signal>) => readonly T[],
  ): Outcome<T[]> {
    const pieces = piecesOf(this.map.areas[area], address, address + quantity);
    const values: T[] = [];
    try {
      for (const { entry, from, to } of pieces) {
        if (entry === undefined) {
          if (!this.fillGaps) return refuse(EXCEPTION.ILLEGAL_DATA_ADDRESS);
          for (let at = from; at < to; at++) values.push(gap);
        } else {
          values.push(...encode(entry).slice(from - entry.start, to - entry.start));
        }
      }
    } catch (error) {
      // A value the model holds but the register codec cannot lay out: the device's fault, not the request's.
      if (error instanceof ModbusValueError) return refuse(EXCEPTION.SERVER_DEVICE_FAILURE);
      throw error;
    }
    return done(values);
  }

  private writeBits(address: number, states: readonly boolean[]): Outcome<void> {
    return this.write("coil", address, states, (entry, bits) => decodeCoilValues(bits, entry.layout));
  }

  private writeWords(address: number, words: readonly number[]): Outcome<void> {
    return this.write("holding-register", address, words, (entry, slice) => decodeRegisters(slice, entry.layout));
  }

  private write<T>(
    area: "coil" | "holding-register",
    address: number,
    data: readonly T[],
    decode: (entry: MapEntry<Signal>, slice: readonly T[]) => PlcValue,
  ): Outcome<void> {
    const pieces = piecesOf(this.map.areas[area], address, address + data.length);
    if (!pieces.every(coversWholeSignal)) return refuse(EXCEPTION.ILLEGAL_DATA_ADDRESS);
    const writes: { signal: Signal; value: PlcValue }[] = [];
    for (const { entry } of pieces) {
      const mapped = entry!;
      try {
        const value = decode(mapped, data.slice(mapped.start - address, mapped.end - address));
        writes.push({ signal: mapped.signal, value });
      } catch (error) {
        if (error instanceof ModbusValueError) return refuse(EXCEPTION.ILLEGAL_DATA_VALUE);
        throw error;
      }
    }
    return writeAll(writes);
  }
}

function coversWholeSignal<S extends Signal>(piece: Piece<S>): boolean {
  const { entry, from, to } = piece;
  return entry !== undefined && from === entry.start && to === entry.end;
}

/**
 * Writes every value or none: a request that sets several setpoints and fails on one leaves the others as they were,
 * so a client never has to guess which part of a refused request took effect.
 */
function writeAll(writes: readonly { signal: Signal; value: PlcValue }[]): Outcome<void> {
  const written: { signal: Signal; previous: PlcValue }[] = [];
  try {
    for (const { signal, value } of writes) {
      const previous = signal.read();
      signal.write(value);
      written.push({ signal, previous });
    }
    return done(undefined);
  } catch (error) {
    for (const { signal, previous } of written.reverse()) signal.write(previous);
    return refuse(exceptionFor(error));
  }
}

function exceptionFor(error: unknown): number {
  if (!(error instanceof SimModelError)) return EXCEPTION.SERVER_DEVICE_FAILURE;
  switch (error.code) {
    case "SIM_OUT_OF_RANGE":
    case "SIM_TYPE_MISMATCH":
      return EXCEPTION.ILLEGAL_DATA_VALUE;
    case "SIM_READ_ONLY":
    case "SIM_UNKNOWN_SIGNAL":
      return EXCEPTION.ILLEGAL_DATA_ADDRESS;
    default:
      return EXCEPTION.SERVER_DEVICE_FAILURE;
  }
}

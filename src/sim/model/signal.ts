// Signals: what a protocol face lists and reads or writes on a machine, with the IEC type and range a PLC would give.
import type { DataType, PlcValue } from "../../plc/values.ts";
import { DATA_TYPE_INFO } from "../../plc/values.ts";
import { ReadOnlySignalError, SignalRangeError, SignalTypeError, UnknownSignalError } from "./errors.ts";

/** Inclusive engineering range: a sensor's span, or what a setpoint accepts. */
export interface SignalRange {
  readonly min: number;
  readonly max: number;
}

/** Everything a face needs to publish a signal: address maps, OPC UA nodes, Sparkplug metrics, symbol tables. */
export interface SignalInfo {
  /** camelCase, unique within the machine. */
  readonly name: string;
  readonly dataType: DataType;
  /** Set for arrays (robot joint temperatures: 6); absent for scalars. */
  readonly arrayLength?: number;
  /** Engineering unit ("bar", "°C", "m/min"); "" for counts, states and flags. */
  readonly unit: string;
  readonly description: string;
  /** For measurements the sensor span, for setpoints the accepted range. Absent for counters, states and flags. */
  readonly range?: SignalRange;
  /** True for setpoints; measurements, counters and states refuse writes. */
  readonly writable: boolean;
  /** Station or block the signal belongs to, so a face can build a struct per station (ADS) or a UDT (Logix). */
  readonly group?: string;
  /** For enumerated integers (states, reasons): the name of each value, indexed by value. */
  readonly enumeration?: readonly string[];
  /** For writable strings: the values accepted. */
  readonly choices?: readonly string[];
  /** For strings: the capacity in characters. */
  readonly maxLength?: number;
}

/** A live signal: its description plus reading and writing. Reads are cheap enough to do for every signal every tick. */
export interface Signal extends SignalInfo {
  /** Id of the machine it belongs to. */
  readonly machine: string;
  read(): PlcValue;
  /** Validates type and range, then sets the value; throws a SimModelError otherwise. */
  write(value: PlcValue): void;
}

/** The numeric types the model uses for scalars; 64-bit types are left out so every value stays a plain number. */
export type NumberType =
  | "BYTE"
  | "WORD"
  | "DWORD"
  | "SINT"
  | "INT"
  | "DINT"
  | "USINT"
  | "UINT"
  | "UDINT"
  | "REAL"
  | "LREAL";

type Spec<T extends DataType> = Omit<SignalInfo, "writable" | "dataType" | "arrayLength"> & { readonly dataType: T };

function describeValue(value: PlcValue): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return value instanceof Date ? "a date" : "a duration";
  return `${typeof value} ${String(value)}`;
}

/** The signals of one machine, by name, in the order they were defined (which faces use as their address order). */
export class SignalTable {
  readonly list: Signal[] = [];
  private readonly byName = new Map<string, Signal>();
  private readonly machine: string;

  constructor(machine: string) {
    this.machine = machine;
  }

  get(name: string): Signal {
    const signal = this.byName.get(name);
    if (signal === undefined) throw new UnknownSignalError(this.machine, name);
    return signal;
  }

  /**
   * A numeric scalar. REAL reads are rounded to float32 so a face sees exactly what the PLC's register holds, and
   * REAL writes are stored rounded the same way.
   */
  number(spec: Spec<NumberType>, read: () => number, write?: (value: number) => void): Signal {
    const real = spec.dataType === "REAL";
    const apply = write && ((value: PlcValue) => write(this.checkNumber(spec, value)));
    return this.add(spec, real ? () => Math.fround(read()) : read, apply);
  }

  bool(spec: Spec<"BOOL">, read: () => boolean, write?: (value: boolean) => void): Signal {
    const apply =
      write &&
      ((value: PlcValue) => {
        if (typeof value !== "boolean") throw this.typeError(spec, "a BOOL (true/false)", value);
        write(value);
      });
    return this.add(spec, read, apply);
  }

  string(spec: Spec<"STRING">, read: () => string, write?: (value: string) => void): Signal {
    const apply = write && ((value: PlcValue) => write(this.checkString(spec, value)));
    return this.add(spec, read, apply);
  }

  /** A read-only array of REALs, returned as a fresh array so a face can keep it without seeing it change. */
  realArray(spec: Spec<"REAL"> & { readonly arrayLength: number }, values: Float64Array): Signal {
    return this.add(spec, () => Array.from(values, Math.fround), undefined);
  }

  private add(
    spec: Omit<SignalInfo, "writable">,
    read: () => PlcValue,
    write: ((value: PlcValue) => void) | undefined,
  ): Signal {
    if (this.byName.has(spec.name)) throw new Error(`${this.machine} defines signal "${spec.name}" twice`);
    const machine = this.machine;
    const signal: Signal = {
      ...spec,
      machine,
      writable: write !== undefined,
      read,
      write:
        write ??
        (() => {
          throw new ReadOnlySignalError(machine, spec.name);
        }),
    };
    this.list.push(signal);
    this.byName.set(spec.name, signal);
    return signal;
  }

  private checkNumber(spec: Spec<NumberType>, value: PlcValue): number {
    let n: number;
    if (typeof value === "number") n = value;
    else if (typeof value === "bigint") n = Number(value);
    else throw this.typeError(spec, `a ${spec.dataType} number`, value);
    if (!Number.isFinite(n)) throw this.typeError(spec, `a finite ${spec.dataType}`, value);
    const info = DATA_TYPE_INFO[spec.dataType];
    if (info.kind === "integer") {
      if (!Number.isInteger(n)) throw this.typeError(spec, `a whole ${spec.dataType}`, value);
      if (n < Number(info.min) || n > Number(info.max)) {
        const allowed = `a ${spec.dataType} in ${info.min}..${info.max}`;
        throw new SignalRangeError(this.machine, spec.name, allowed, String(n));
      }
    } else if (spec.dataType === "REAL") {
      n = Math.fround(n);
    }
    const range = spec.range;
    if (range !== undefined && (n < range.min || n > range.max)) {
      const unit = spec.unit === "" ? "" : ` ${spec.unit}`;
      throw new SignalRangeError(this.machine, spec.name, `within ${range.min}..${range.max}${unit}`, String(value));
    }
    return n;
  }

  private checkString(spec: Spec<"STRING">, value: PlcValue): string {
    if (typeof value !== "string") throw this.typeError(spec, "a STRING", value);
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      throw new SignalRangeError(this.machine, spec.name, `at most ${spec.maxLength} characters`, `${value.length}`);
    }
    if (spec.choices !== undefined && !spec.choices.includes(value)) {
      throw new SignalRangeError(this.machine, spec.name, `one of ${spec.choices.join(", ")}`, JSON.stringify(value));
    }
    return value;
  }

  private typeError(spec: Spec<DataType>, expected: string, value: PlcValue): SignalTypeError {
    return new SignalTypeError(this.machine, spec.name, expected, describeValue(value));
  }
}

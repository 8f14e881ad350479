// The per-connection memory behind STATE and STDOUT tags: the last value written, or the type's zero before any write.
import type { DataTypeSpec } from "../data-type-spec.ts";
import { DATA_TYPE_INFO, type PlcValue, type ScalarValue } from "../values.ts";
import { formatSimulatedAddress, type SimulatedAddress } from "./address.ts";

/**
 * One cell per whole address, type included: `STATE/x:INT` and `STATE/x:REAL` are two cells, as PLC4X keys them, so a
 * read never has to reinterpret a value written as another type.
 */
export class SimulatedMemory {
  readonly #cells = new Map<string, PlcValue>();

  read(address: SimulatedAddress): PlcValue {
    return this.#cells.get(formatSimulatedAddress(address)) ?? zeroValue(address.spec);
  }

  /** Stores a value already checked against the address's type. */
  write(address: SimulatedAddress, value: PlcValue): void {
    this.#cells.set(formatSimulatedAddress(address), value);
  }

  clear(): void {
    this.#cells.clear();
  }
}

/** What a PLC's memory holds before anything is written: false, 0, "", zero durations and the epoch. */
function zeroValue(spec: DataTypeSpec): PlcValue {
  // Fresh elements each: a Date is mutable, and arrays must not share one.
  return spec.count === 1 ? zeroScalar(spec) : Array.from({ length: spec.count }, () => zeroScalar(spec));
}

function zeroScalar(spec: DataTypeSpec): ScalarValue {
  switch (DATA_TYPE_INFO[spec.type].kind) {
    case "bool":
      return false;
    case "integer":
    case "float":
      return 0;
    case "bigint":
      return 0n;
    case "string":
      // A CHAR always holds one character; NUL is what an unwritten one contains.
      return spec.type === "CHAR" || spec.type === "WCHAR" ? "\u0000" : "";
    case "duration":
      return spec.type === "LTIME" ? { ns: 0n } : { ms: 0 };
    case "date":
      return new Date(0);
  }
}

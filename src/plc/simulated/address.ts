// The simulated driver's tag grammar, as PLC4X writes it: `{RANDOM|STATE|STDOUT}/{name}[:{data type}]`.
import { type DataTypeSpec, describeCharAt, formatDataTypeSpec, parseDataTypeSpec } from "../data-type-spec.ts";
import { InvalidAddressError } from "../errors.ts";

/**
 * RANDOM: a fresh random value on every read; writes are checked, then dropped. STATE: keeps the last value written.
 * STDOUT: prints each write as a line and reads back the last value written (PLC4X reads null there; a value is more
 * useful to a poller).
 */
export const SIMULATION_KINDS = ["RANDOM", "STATE", "STDOUT"] as const;
export type SimulationKind = (typeof SIMULATION_KINDS)[number];

export interface SimulatedAddress {
  readonly kind: SimulationKind;
  /** e.g. `device1.machineA.sensor1` */
  readonly name: string;
  readonly spec: DataTypeSpec;
}

/** PLC4X's simulated STRING holds 254 characters when the address gives no length. */
export const DEFAULT_STRING_LENGTH = 254;
const MAX_NAME_LENGTH = 255;

/** Parses a simulated tag address; throws InvalidAddressError. A missing data type means STRING, as in PLC4X. */
export function parseSimulatedAddress(address: string): SimulatedAddress {
  const slash = address.indexOf("/");
  const kindText = slash < 0 ? address : address.slice(0, slash);
  const kind = SIMULATION_KINDS.find((k) => k === kindText);
  if (kind === undefined) {
    const found = kindText === "" ? describeCharAt(address, 0) : `unknown simulation type '${kindText}'`;
    const upper = SIMULATION_KINDS.find((k) => k === kindText.toUpperCase());
    const expected = upper ? `'${upper}' (simulation types are upper case)` : `one of ${SIMULATION_KINDS.join(", ")}`;
    throw new InvalidAddressError(address, 1, found, expected);
  }
  if (slash < 0) throw new InvalidAddressError(address, address.length + 1, "end of address", "'/' and a tag name");

  const nameStart = slash + 1;
  let i = nameStart;
  while (i < address.length && /[A-Za-z0-9_.-]/.test(address[i] ?? "")) i++;
  if (i === nameStart) {
    throw new InvalidAddressError(
      address,
      i + 1,
      describeCharAt(address, i),
      "a tag name of letters, digits, '.', '_' or '-'",
    );
  }
  if (i - nameStart > MAX_NAME_LENGTH) {
    throw new InvalidAddressError(
      address,
      nameStart + 1,
      `a name of ${i - nameStart} characters`,
      `at most ${MAX_NAME_LENGTH}`,
    );
  }
  const name = address.slice(nameStart, i);

  if (i === address.length)
    return { kind, name, spec: { type: "STRING", count: 1, stringLength: DEFAULT_STRING_LENGTH } };
  if (address[i] !== ":") {
    throw new InvalidAddressError(
      address,
      i + 1,
      describeCharAt(address, i),
      "a letter, digit, '.', '_', '-', ':' or end of address",
    );
  }
  const parsed = parseDataTypeSpec(withIecTypeName(address, i + 1), i + 1);
  const needsLength = (parsed.type === "STRING" || parsed.type === "WSTRING") && parsed.stringLength === undefined;
  const spec = needsLength ? { ...parsed, stringLength: DEFAULT_STRING_LENGTH } : parsed;
  return { kind, name, spec };
}

/** The address written in full, type and string length included: `STATE/x:STRING(254)`. */
export function formatSimulatedAddress(address: SimulatedAddress): string {
  return `${address.kind}/${address.name}:${formatDataTypeSpec(address.spec)}`;
}

/**
 * Older PLC4X releases (and the PLC4X Kafka connector's example configs) name simulated types after Java classes:
 * `RANDOM/Running:Boolean`. They are read as the IEC type of the same size, so those configs run unchanged.
 */
const JAVA_TYPE_NAMES: Readonly<Record<string, string>> = {
  Boolean: "BOOL",
  Byte: "SINT",
  Short: "INT",
  Integer: "DINT",
  Long: "LINT",
  BigInteger: "ULINT",
  Float: "REAL",
  Double: "LREAL",
  String: "STRING",
};

function withIecTypeName(address: string, start: number): string {
  const end = address.indexOf("[", start);
  const name = address.slice(start, end < 0 ? address.length : end);
  const iec = Object.hasOwn(JAVA_TYPE_NAMES, name) ? JAVA_TYPE_NAMES[name] : undefined;
  return iec === undefined ? address : address.slice(0, start) + iec + address.slice(start + name.length);
}

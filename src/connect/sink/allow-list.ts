// A sink's allow-list: the only tags it may write, each with its address and, where the grammar says, its data type.
import { type DataTypeSpec, type Driver, isDataType } from "../../plc/index.ts";
import type { TagConfig } from "../config/model.ts";

export interface AllowedTag {
  readonly alias: string;
  readonly address: string;
  /**
   * The tag's type, read from the driver's parsed address. Undefined for a grammar that does not carry one in a known
   * form: values then go to the driver as decoded, and the driver checks them (INVALID_DATA per tag).
   */
  readonly spec: DataTypeSpec | undefined;
}

export class AllowList {
  readonly #tags: ReadonlyMap<string, AllowedTag>;

  private constructor(tags: ReadonlyMap<string, AllowedTag>) {
    this.#tags = tags;
  }

  /** Parses every address with `driver`'s grammar; throws its InvalidAddressError for one it refuses. */
  static of(tags: readonly TagConfig[], driver: Driver): AllowList {
    const byAlias = new Map<string, AllowedTag>();
    for (const { alias, address } of tags) {
      byAlias.set(alias, { alias, address, spec: dataTypeSpecOf(driver.parseAddress(address)) });
    }
    return new AllowList(byAlias);
  }

  /** The allowed tag of `alias`, or undefined when the sink may not write it. */
  get(alias: string): AllowedTag | undefined {
    return this.#tags.get(alias);
  }

  get aliases(): readonly string[] {
    return [...this.#tags.keys()];
  }
}

/**
 * The data type a driver's parsed address holds. Drivers keep it either as a `spec` (the simulated driver) or as
 * `type`/`count`/`stringLength` fields of the address itself (Modbus); the Driver interface has no accessor for it, so
 * both forms are recognised and anything else is unknown.
 */
export function dataTypeSpecOf(parsed: unknown): DataTypeSpec | undefined {
  if (!isRecord(parsed)) return undefined;
  return specFrom(parsed.spec) ?? specFrom(parsed);
}

function specFrom(value: unknown): DataTypeSpec | undefined {
  if (!isRecord(value)) return undefined;
  const { type, count, stringLength } = value;
  if (typeof type !== "string" || !isDataType(type)) return undefined;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) return undefined;
  if (typeof stringLength === "number") return { type, count, stringLength };
  return stringLength === undefined ? { type, count } : undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === "object" && value !== null;
}

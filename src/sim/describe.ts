// What `fabrik sim --describe` prints: per machine, each protocol face with its endpoint and full address map.
import type { DataType } from "../plc/values.ts";
import { MAPPED_AREAS, plantUnitMaps, type UnitMap } from "./modbus/index.ts";
import type { FaultInfo } from "./model/machine.ts";
import type { PlantInfo } from "./model/plant.ts";
import type { SignalInfo, SignalRange } from "./model/signal.ts";
import { type DbMap, plantDbMaps } from "./s7/index.ts";

/** One address of a face: the string a connector config uses, and what the signal behind it is. */
export interface TagDescription {
  /** In the face protocol's own syntax, e.g. `holding-register:11:REAL`. */
  readonly address: string;
  readonly signal: string;
  readonly dataType: DataType;
  readonly arrayLength?: number;
  /** "" for counts, states and flags. */
  readonly unit: string;
  /** RW for setpoints, R for measurements, counters and states. */
  readonly access: "R" | "RW";
  readonly description: string;
  readonly range?: SignalRange;
  /** For enumerated integers: the name of each value, indexed by value. */
  readonly enumeration?: readonly string[];
  /** For writable strings: the values accepted. */
  readonly choices?: readonly string[];
}

/** A machine as one protocol server of the simulator exposes it. */
export interface FaceDescription {
  /** The PLC4X protocol name, as the connection URL starts. */
  readonly protocol: "modbus-tcp";
  readonly host: string;
  readonly port: number;
  readonly unitId: number;
  /** The PLC4X connection URL that reaches this machine. */
  readonly url: string;
  readonly tags: readonly TagDescription[];
}

/** A machine's DB (and input bits) on the simulator's S7 CPU. */
export interface S7FaceDescription {
  readonly protocol: "s7";
  readonly host: string;
  readonly port: number;
  readonly db: number;
  /** The PLC4X connection URL that reaches the CPU. */
  readonly url: string;
  /** The DB's signals by address, then the sensors in the inputs (the same signals again, at `%I`). */
  readonly tags: readonly TagDescription[];
}

export interface MachineDescription {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly faces: readonly FaceDescription[];
  /** Present when the simulator serves S7. */
  readonly s7?: S7FaceDescription;
}

export interface SimulatorDescription {
  readonly seed: number;
  readonly tickMs: number;
  readonly machines: readonly MachineDescription[];
  /** The switches `--fault` takes. */
  readonly faults: readonly FaultInfo[];
}

/** Where the faces listen, as the description shows it. */
export interface FaceEndpoints {
  readonly modbus: { readonly host: string; readonly port: number };
  /** Where the S7 face listens; no S7 faces are described without it. */
  readonly s7?: { readonly host: string; readonly port: number };
}

/** The description of the simulator serving `plant` at `endpoints`. */
export function describeSimulator(plant: PlantInfo, endpoints: FaceEndpoints): SimulatorDescription {
  const modbus = plantUnitMaps(plant);
  const s7 = endpoints.s7 === undefined ? [] : plantDbMaps(plant);
  const machines = plant.machines.map((machine): MachineDescription => {
    const faces = modbus
      .filter((map) => map.machine === machine.id)
      .map((map) => modbusFace(map, endpoints.modbus.host, endpoints.modbus.port));
    const { id, name, kind, description } = machine;
    const db = s7.find((map) => map.machine === machine.id);
    if (db === undefined || endpoints.s7 === undefined) return { id, name, kind, description, faces };
    return { id, name, kind, description, faces, s7: s7Face(db, endpoints.s7.host, endpoints.s7.port) };
  });
  return { seed: plant.seed, tickMs: plant.tickMs, machines, faults: plant.faults };
}

/** The S7 URL of the simulated CPU: an S7-1500 at rack 0, slot 1. */
export function s7Url(host: string, port: number): string {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return `s7://${hostPart}:${port}?remote-rack=0&remote-slot=1&controller-type=S7_1500`;
}

function s7Face(map: DbMap<SignalInfo>, host: string, port: number): S7FaceDescription {
  const tags = [...map.entries, ...map.inputs].map(({ tag, signal }) => tagDescription(tag, signal));
  return { protocol: "s7", host, port, db: map.db, url: s7Url(host, port), tags };
}

function tagDescription(address: string, signal: SignalInfo): TagDescription {
  const { name, dataType, arrayLength, unit, description, range, enumeration, choices } = signal;
  return {
    address,
    signal: name,
    dataType,
    ...(arrayLength === undefined ? {} : { arrayLength }),
    unit,
    access: signal.writable ? "RW" : "R",
    description,
    ...(range === undefined ? {} : { range }),
    ...(enumeration === undefined ? {} : { enumeration }),
    ...(choices === undefined ? {} : { choices }),
  };
}

function modbusFace(map: UnitMap, host: string, port: number): FaceDescription {
  const hostPart = host.includes(":") ? `[${host}]` : host;
  const url = `modbus-tcp://${hostPart}:${port}?unit-identifier=${map.unitId}`;
  // Tables in the order the spec numbers them (0x, 1x, 3x, 4x), each by address: how device manuals list maps.
  const tags = MAPPED_AREAS.flatMap((area) => map.areas[area].map(({ tag, signal }) => tagDescription(tag, signal)));
  return { protocol: "modbus-tcp", host, port, unitId: map.unitId, url, tags };
}

/** The description, with the meaning of each value of an enumeration unless it already lists them. */
function describeTag(tag: TagDescription): string {
  const values = tag.enumeration;
  const last = values === undefined ? undefined : `${values.length - 1} ${values.at(-1)}`;
  if (values === undefined || tag.description.includes(last!)) return tag.description;
  return `${tag.description}: ${values.map((name, value) => `${value} ${name}`).join(", ")}`;
}

/** "5..45", or "" for signals without a range; writable strings list their choices instead. */
function rangeText(tag: TagDescription): string {
  if (tag.range !== undefined) return `${tag.range.min}..${tag.range.max}`;
  return tag.choices === undefined ? "" : tag.choices.join(" | ");
}

/** One row of an address map listing, text or Markdown: address, signal, access, unit, range, description. */
function tagCells(tag: TagDescription): string[] {
  return [tag.address, tag.signal, tag.access, tag.unit, rangeText(tag), describeTag(tag)];
}

/** The plain-text listing `fabrik sim --describe` prints. */
export function renderDescriptionText(description: SimulatorDescription): string {
  const lines = [`Fabrik plant simulator: seed ${description.seed}, one tick = ${description.tickMs} ms`];
  for (const machine of description.machines) {
    lines.push("", `${machine.name} (${machine.id}): ${machine.description}`);
    for (const face of machine.faces) {
      lines.push(`  ${face.protocol} ${face.host}:${face.port}, unit id ${face.unitId}: ${face.url}`);
      lines.push(...alignColumns(face.tags.map(tagCells)).map((row) => `    ${row}`));
    }
    const s7 = machine.s7;
    if (s7 !== undefined) {
      lines.push(`  s7 ${s7.host}:${s7.port}, DB${s7.db}: ${s7.url}`);
      lines.push(...alignColumns(s7.tags.map(tagCells)).map((row) => `    ${row}`));
    }
  }
  lines.push("", "Faults (--fault NAME):");
  const faults = description.faults.map((f) => [f.name, f.machine, f.description]);
  lines.push(...alignColumns(faults).map((row) => `  ${row}`));
  return `${lines.join("\n")}\n`;
}

/** Pads every column but the last to its widest cell. */
function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

/** The DB tables of docs/simulator.md's S7 part: one section per DB, by number. */
export function renderS7Markdown(description: SimulatorDescription): string {
  const dbs = description.machines
    .flatMap((machine) => (machine.s7 === undefined ? [] : [{ machine, face: machine.s7 }]))
    .sort((a, b) => a.face.db - b.face.db);
  const parts: string[] = [];
  for (const { machine, face } of dbs) {
    parts.push(`### ${machine.name}: DB${face.db}`, "", `${machine.description}.`, "", ...markdownTable(face.tags), "");
  }
  return parts.join("\n");
}

function markdownTable(tags: readonly TagDescription[]): string[] {
  const rows = tags.map((tag) => {
    const [address, ...rest] = tagCells(tag);
    const cells = [`\`${address}\``, ...rest].map((cell) => cell.replaceAll("|", "\\|"));
    return `| ${cells.join(" | ")} |`;
  });
  return ["| Address | Signal | Access | Unit | Range | Description |", "|---|---|---|---|---|---|", ...rows];
}

/** The register map tables of docs/simulator.md: one section per unit, by unit id. */
export function renderDescriptionMarkdown(description: SimulatorDescription): string {
  const units = description.machines
    .flatMap((machine) => machine.faces.map((face) => ({ machine, face })))
    .sort((a, b) => a.face.unitId - b.face.unitId);
  const parts: string[] = [];
  for (const { machine, face } of units) {
    parts.push(
      `### ${machine.name}: unit id ${face.unitId}`,
      "",
      `${machine.description}. \`${face.url}\``,
      "",
      ...markdownTable(face.tags),
      "",
    );
  }
  return parts.join("\n");
}

// Loading a connector configuration: from a file or text, in Fabrik's shape or PLC4X's, to a checked ConnectorConfig.
import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { type DriverRegistry, drivers } from "../../plc/index.ts";
import { type Locator, readStructured } from "./document.ts";
import type { DraftConnector, Located } from "./draft.ts";
import { ConfigError, type ConfigProblem, ProblemList } from "./errors.ts";
import { readFabrikFormat } from "./fabrik-format.ts";
import type { FlatEntry } from "./flat-keys.ts";
import type { ConnectorConfig } from "./model.ts";
import { readPlc4xFormat } from "./plc4x.ts";
import { parseProperties } from "./properties.ts";
import { describeValue } from "./units.ts";
import { validateDraft } from "./validate.ts";
import type { CheckContext } from "./value-checks.ts";

/** The syntaxes a configuration file may be written in. */
export type ConfigFileFormat = "yaml" | "json" | "properties";

/** Which configuration shape the document had: Fabrik's nested one, or PLC4X's flat keys. */
export type ConfigShape = "fabrik" | "plc4x";

export interface ConfigOptions {
  /** Drivers that judge URLs and tag addresses; the default registry of `fabrik/plc` when not given. */
  readonly registry?: DriverRegistry;
  /** The connector name from elsewhere (the REST path); the configuration's own, if any, must equal it. */
  readonly name?: string;
  /** Directory a relative buffer `dir` is resolved against; a loaded file's own directory by default. */
  readonly baseDir?: string;
}

export interface LoadedConfig {
  readonly config: ConnectorConfig;
  readonly shape: ConfigShape;
  /** Things people should know that are not errors: ignored Kafka Connect keys, unused jobs, shared sink writes. */
  readonly notes: readonly string[];
}

export type ConfigCheck =
  | ({ readonly ok: true } & LoadedConfig)
  | { readonly ok: false; readonly problems: readonly ConfigProblem[]; readonly notes: readonly string[] };

const EXTENSIONS: Readonly<Record<string, ConfigFileFormat>> = {
  ".yaml": "yaml",
  ".yml": "yaml",
  ".json": "json",
  ".properties": "properties",
};

/** The format a file name says, or undefined for an extension that is none of .yaml, .yml, .json, .properties. */
export function configFormatOf(path: string): ConfigFileFormat | undefined {
  return EXTENSIONS[extname(path).toLowerCase()];
}

/** Reads and checks a configuration file; throws ConfigError listing every problem (file system errors pass through). */
export async function loadConnectorConfig(path: string, options: ConfigOptions = {}): Promise<LoadedConfig> {
  const format = configFormatOf(path);
  if (format === undefined) {
    throw new ConfigError([
      { path: "", message: `cannot tell the format of '${path}': name it .yaml, .yml, .json or .properties` },
    ]);
  }
  const text = await readFile(path, "utf8");
  return parseConnectorConfig(text, format, { baseDir: dirname(resolve(path)), ...options });
}

/** Checks configuration text; throws ConfigError listing every problem. */
export function parseConnectorConfig(
  text: string,
  format: ConfigFileFormat,
  options: ConfigOptions = {},
): LoadedConfig {
  return orThrow(checkConnectorConfigText(text, format, options));
}

/** Checks a parsed document (a REST body: Fabrik's shape, a Kafka Connect body, or a flat map); throws ConfigError. */
export function validateConnectorConfig(document: unknown, options: ConfigOptions = {}): LoadedConfig {
  return orThrow(checkConnectorConfig(document, options));
}

/** Like validateConnectorConfig, but answers with the problems instead of throwing (for `PUT .../validate`). */
export function checkConnectorConfig(document: unknown, options: ConfigOptions = {}): ConfigCheck {
  return checkDocument(document, () => undefined, options);
}

export function checkConnectorConfigText(
  text: string,
  format: ConfigFileFormat,
  options: ConfigOptions = {},
): ConfigCheck {
  if (format === "properties") {
    const { entries, problems } = parseProperties(text);
    const list = new ProblemList();
    for (const problem of problems) list.add(problem, problem.message);
    const notes: string[] = [];
    return finish(list, notes, readPlc4xFormat(entries, list, notes), "plc4x", options);
  }
  const read = readStructured(text, format);
  if (!read.ok) return { ok: false, problems: read.problems, notes: [] };
  return checkDocument(read.document.value, read.document.locate, options);
}

/**
 * The document configuration text holds, as a REST body would carry it: parsed YAML/JSON, or PLC4X's properties as a
 * flat map of strings (what a connect group stores). Undefined when the text does not parse; check it first for why.
 */
export function connectorDocument(text: string, format: ConfigFileFormat): unknown {
  if (format === "properties") {
    return Object.fromEntries(parseProperties(text).entries.map((entry) => [entry.key, entry.value]));
  }
  const read = readStructured(text, format);
  return read.ok ? read.document.value : undefined;
}

function orThrow(check: ConfigCheck): LoadedConfig {
  if (!check.ok) throw new ConfigError(check.problems, check.notes);
  return { config: check.config, shape: check.shape, notes: check.notes };
}

type Mapping = Readonly<Record<string, unknown>>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const BODY_KEYS = ["name", "config", "tasks", "type"];

function checkDocument(document: unknown, locate: Locator, options: ConfigOptions): ConfigCheck {
  const problems = new ProblemList();
  const notes: string[] = [];
  if (document === undefined || document === null) {
    problems.add({ path: "" }, "the configuration is empty");
    return { ok: false, problems: problems.list(), notes };
  }
  if (!isMapping(document)) {
    problems.add({ path: "", ...locate([]) }, `expected a mapping of settings, found ${describeValue(document)}`);
    return { ok: false, problems: problems.list(), notes };
  }

  // Kafka Connect's `POST /connectors` body (or a `GET /connectors/{name}` answer pasted back) wraps the config.
  let config = document;
  let where = locate;
  let bodyName: Located | undefined;
  if (isMapping(document.config) && Object.keys(document).every((key) => BODY_KEYS.includes(key))) {
    config = document.config;
    where = (path, part) => locate(["config", ...path], part);
    if (document.name !== undefined) bodyName = { path: "name", value: document.name, ...locate(["name"]) };
    if (document.tasks !== undefined || document.type !== undefined) {
      notes.push("tasks and type are Kafka Connect's answer, not configuration: ignored");
    }
  }

  const shape: ConfigShape = isFlat(config) ? "plc4x" : "fabrik";
  let draft =
    shape === "plc4x"
      ? readPlc4xFormat(flatEntries(config, where), problems, notes)
      : readFabrikFormat(config, where, problems);
  if (bodyName !== undefined) {
    if (draft.name === undefined) draft = { ...draft, name: bodyName };
    else if (draft.name.value !== bodyName.value) {
      problems.add(
        draft.name,
        `the config names '${String(draft.name.value)}', the request body '${String(bodyName.value)}'`,
      );
    }
  }
  return finish(problems, notes, draft, shape, options);
}

/**
 * PLC4X's keys are flat and dotted (`sources.machineA.connectionString`); Fabrik's `sources` is a mapping. A document
 * with nested values is Fabrik's unless it names a connector class, so that a Fabrik file with a slip (`sources: press`)
 * gets Fabrik's messages.
 */
function isFlat(config: Mapping): boolean {
  if (config["connector.class"] !== undefined) return true;
  if (Object.values(config).some((value) => typeof value === "object" && value !== null)) return false;
  if (Object.keys(config).some((key) => key.includes("."))) return true;
  return ["sources", "jobs", "sinks"].some((key) => typeof config[key] === "string");
}

function flatEntries(config: Mapping, locate: Locator): FlatEntry[] {
  return Object.entries(config).map(([key, value]) => ({ key, value, ...locate([key], "key") }));
}

function finish(
  problems: ProblemList,
  notes: string[],
  draft: DraftConnector,
  shape: ConfigShape,
  options: ConfigOptions,
): ConfigCheck {
  const context: CheckContext = { problems, notes, registry: options.registry ?? drivers };
  const config = validateDraft(context, draft, options);
  if (problems.size > 0) return { ok: false, problems: problems.list(), notes };
  return { ok: true, config, shape, notes };
}

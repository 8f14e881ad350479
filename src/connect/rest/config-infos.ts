// Kafka Connect's ConfigInfos (the body of `PUT /connector-plugins/{class}/config/validate`) built from config problems.
import { encodeJson, type JsonValue } from "../records/index.ts";
import type { ConfigProblem, RawConnectorConfig } from "../service.ts";

/** Connect's ConfigKeyInfo. Fabrik's service reports problems, not definitions, so these are inferred from values. */
export interface ConfigKeyInfo {
  readonly name: string;
  readonly type: "STRING" | "BOOLEAN" | "LONG" | "DOUBLE" | "LIST";
  readonly required: boolean;
  readonly default_value: string | null;
  readonly importance: "HIGH" | "MEDIUM" | "LOW";
  readonly documentation: string;
  readonly group: string;
  readonly order: number;
  readonly width: "NONE" | "SHORT" | "MEDIUM" | "LONG";
  readonly display_name: string;
  readonly dependents: readonly string[];
}

export interface ConfigValueInfo {
  readonly name: string;
  readonly value: string | null;
  readonly recommended_values: readonly string[];
  readonly errors: readonly string[];
  readonly visible: boolean;
}

export interface ConfigInfo {
  readonly definition: ConfigKeyInfo;
  readonly value: ConfigValueInfo;
}

export interface ConfigInfos {
  readonly name: string;
  readonly error_count: number;
  readonly groups: readonly string[];
  readonly configs: readonly ConfigInfo[];
}

const GROUP = "Common";

/**
 * The configuration key a problem belongs to. Flat (PLC4X) keys contain dots themselves
 * (`sources.machineA.connectionString`), so the longest key the path starts with wins, and a nested (Fabrik) path
 * like `sources.press.jobs[1].tags.temp` lands on its top-level key `sources`. A path no key covers names something
 * missing, and is its own key (`connector.class`).
 */
export function configKeyOf(path: string, keys: readonly string[]): string {
  let best: string | undefined;
  for (const key of keys) {
    const boundary = path.charAt(key.length);
    const covers = path === key || (path.startsWith(key) && (boundary === "." || boundary === "["));
    if (covers && (best === undefined || key.length > best.length)) best = key;
  }
  return best ?? path;
}

function typeOf(value: unknown): ConfigKeyInfo["type"] {
  if (typeof value === "boolean") return "BOOLEAN";
  if (typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value))) return "LONG";
  if (typeof value === "number") return "DOUBLE";
  if (Array.isArray(value)) return "LIST";
  return "STRING";
}

/** Connect's values are strings; Fabrik's nested values are shown as their JSON. */
function valueText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  // The configuration came as a JSON request body, so its values are JSON values.
  return encodeJson(value as JsonValue);
}

/** Every key of the configuration, and every key a problem names that the configuration lacks, with its errors. */
export function configInfos(
  pluginClass: string,
  config: RawConnectorConfig,
  problems: readonly ConfigProblem[],
): ConfigInfos {
  const keys = Object.keys(config);
  const errors = new Map<string, string[]>();
  for (const problem of problems) {
    const key = configKeyOf(problem.path, keys);
    // The key alone says nothing more; a deeper path tells the reader where inside the value the problem is.
    const text = problem.path === key ? problem.message : `${problem.path}: ${problem.message}`;
    const list = errors.get(key);
    if (list === undefined) errors.set(key, [text]);
    else list.push(text);
  }
  const missing = [...errors.keys()].filter((key) => !Object.hasOwn(config, key));
  const configs = [...keys, ...missing].map((name, order): ConfigInfo => {
    const present = Object.hasOwn(config, name);
    return {
      definition: {
        name,
        type: typeOf(config[name]),
        // A key that is absent yet has a problem is, as far as anyone can tell here, one that must be given.
        required: !present,
        default_value: null,
        importance: "MEDIUM",
        documentation: "",
        group: GROUP,
        order: order + 1,
        width: "NONE",
        display_name: name,
        dependents: [],
      },
      value: {
        name,
        value: present ? valueText(config[name]) : null,
        recommended_values: [],
        errors: errors.get(name) ?? [],
        visible: true,
      },
    };
  });
  return { name: pluginClass, error_count: problems.length, groups: [GROUP], configs };
}

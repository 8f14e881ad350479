// The demo's connector: its file pointed at the simulator where it runs now, checked, with the topics it writes.
import { readFile } from "node:fs/promises";
import {
  ConfigError,
  type ConnectorConfig,
  configFormatOf,
  connectorDocument,
  formatProblem,
  validateConnectorConfig,
} from "../connect/config/index.ts";
import { JobFormatter } from "../connect/records/index.ts";
import { DemoError } from "./errors.ts";

/** The simulator's faces as `host:port`, one per protocol it serves. */
export interface SimulatorAddresses {
  readonly modbus: string;
  readonly s7: string;
}

/** Where the connector file expects the simulator: `fabrik sim`'s default addresses. */
export const FILE_SIMULATOR_ADDRESSES: SimulatorAddresses = { modbus: "127.0.0.1:5020", s7: "127.0.0.1:1102" };

export interface DemoConnector {
  readonly name: string;
  /** The document as the group stores it, its URLs pointing at the running simulator. */
  readonly document: Readonly<Record<string, unknown>>;
  readonly config: ConnectorConfig;
  /** Every topic its sources write, each once. */
  readonly topics: readonly string[];
}

/**
 * Reads the connector file and points every source and sink URL that names one of `fabrik sim`'s default addresses at
 * that face's address in `simulator` instead, so the demo can run the simulator on other ports; other URLs stay as
 * written.
 * `baseDir` is where a relative buffer directory goes. Throws DemoError listing every problem of the file.
 */
export async function loadDemoConnector(
  path: string,
  simulator: SimulatorAddresses,
  baseDir: string,
): Promise<DemoConnector> {
  const format = configFormatOf(path);
  const document = format === undefined ? undefined : connectorDocument(await readFile(path, "utf8"), format);
  if (!isObject(document)) {
    throw new DemoError(
      "DEMO_CONNECTOR_INVALID",
      path,
      "expected a connector file (.yaml, .yml or .json) with an object",
    );
  }
  const pointed = pointAtSimulator(document, simulator);
  let config: ConnectorConfig;
  try {
    config = validateConnectorConfig(pointed, { baseDir }).config;
  } catch (error) {
    if (error instanceof ConfigError) {
      const problems = error.problems.map((p) => `  ${formatProblem(p)}`).join("\n");
      throw new DemoError("DEMO_CONNECTOR_INVALID", path, `${error.problems.length} problem(s):\n${problems}`, error);
    }
    throw error;
  }
  const topics = config.sources.flatMap((s) => s.jobs.flatMap((job) => new JobFormatter(s.name, job).topics()));
  return { name: config.name, document: pointed, config, topics: [...new Set(topics)] };
}

/**
 * A copy of `document` whose `sources.*.url` and `sinks.*.url` on one of FILE_SIMULATOR_ADDRESSES name the same face's
 * address in `simulator` instead.
 */
export function pointAtSimulator(
  document: Readonly<Record<string, unknown>>,
  simulator: SimulatorAddresses,
): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = { ...document };
  for (const section of ["sources", "sinks"]) {
    const entries = document[section];
    if (!isObject(entries)) continue;
    copy[section] = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => {
        if (!isObject(entry) || typeof entry.url !== "string") return [name, entry];
        let url = entry.url;
        for (const face of ["modbus", "s7"] as const) {
          url = replaceAuthority(url, FILE_SIMULATOR_ADDRESSES[face], simulator[face]);
        }
        return [name, { ...entry, url }];
      }),
    );
  }
  return copy;
}

function replaceAuthority(url: string, from: string, to: string): string {
  const marker = `://${from}`;
  const at = url.indexOf(marker);
  if (at < 0) return url;
  const rest = url.slice(at + marker.length);
  // Only the whole authority: 127.0.0.1:50200 is another device.
  if (rest !== "" && !"/?#".includes(rest[0]!)) return url;
  return `${url.slice(0, at)}://${to}${rest}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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

/** Where the connector file expects the simulator: `fabrik sim`'s default address. */
export const FILE_SIMULATOR_ADDRESS = "127.0.0.1:5020";

export interface DemoConnector {
  readonly name: string;
  /** The document as the group stores it, its URLs pointing at the running simulator. */
  readonly document: Readonly<Record<string, unknown>>;
  readonly config: ConnectorConfig;
  /** Every topic its sources write, each once. */
  readonly topics: readonly string[];
}

/**
 * Reads the connector file and points every source and sink URL that names `fabrik sim`'s default address at
 * `simulator` (`host:port`) instead, so the demo can run the simulator on another port; other URLs stay as written.
 * `baseDir` is where a relative buffer directory goes. Throws DemoError listing every problem of the file.
 */
export async function loadDemoConnector(path: string, simulator: string, baseDir: string): Promise<DemoConnector> {
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

/** A copy of `document` whose `sources.*.url` and `sinks.*.url` on FILE_SIMULATOR_ADDRESS name `simulator` instead. */
export function pointAtSimulator(
  document: Readonly<Record<string, unknown>>,
  simulator: string,
): Readonly<Record<string, unknown>> {
  const copy: Record<string, unknown> = { ...document };
  for (const section of ["sources", "sinks"]) {
    const entries = document[section];
    if (!isObject(entries)) continue;
    copy[section] = Object.fromEntries(
      Object.entries(entries).map(([name, entry]) => {
        if (!isObject(entry) || typeof entry.url !== "string") return [name, entry];
        return [name, { ...entry, url: replaceAuthority(entry.url, simulator) }];
      }),
    );
  }
  return copy;
}

function replaceAuthority(url: string, simulator: string): string {
  const marker = `://${FILE_SIMULATOR_ADDRESS}`;
  const at = url.indexOf(marker);
  if (at < 0) return url;
  const rest = url.slice(at + marker.length);
  // Only the whole authority: 127.0.0.1:50200 is another device.
  if (rest !== "" && !"/?#".includes(rest[0]!)) return url;
  return `${url.slice(0, at)}://${simulator}${rest}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Builds the REST app over a fresh fake service for one test, and closes it when the test ends.
import type { TestContext } from "node:test";
import type { FastifyInstance, InjectOptions } from "fastify";
import type { RestLogger } from "../../../src/connect/rest/index.ts";
import { buildRestApp, ConnectMetrics } from "../../../src/connect/rest/index.ts";
import type { HttpAuth } from "../../../src/http/index.ts";
import { FakeConnectService, SOURCE_CLASS } from "./fake-service.ts";

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly text: string;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  readonly body: unknown;
}

export interface Fixture {
  readonly app: FastifyInstance;
  readonly service: FakeConnectService;
  readonly metrics: ConnectMetrics;
  readonly logged: [message: string, error: unknown][];
  request(
    method: InjectOptions["method"],
    url: string,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
}

export const SOURCE_CONFIG = {
  "connector.class": SOURCE_CLASS,
  "tasks.max": "1",
  "sources.machineA.connectionString": "modbus-tcp://127.0.0.1:5020",
} as const;

export async function fixture(t: TestContext, options: { auth?: HttpAuth; bodyLimit?: number } = {}): Promise<Fixture> {
  const service = new FakeConnectService();
  const metrics = new ConnectMetrics();
  const logged: [string, unknown][] = [];
  const logger: RestLogger = { error: (message, error) => logged.push([message, error]) };
  const app = await buildRestApp({ service, metrics, logger, ...options });
  t.after(() => app.close());
  return {
    app,
    service,
    metrics,
    logged,
    async request(method, url, payload, headers) {
      const withBody =
        payload === undefined
          ? {}
          : typeof payload === "string"
            ? { payload }
            : { payload: JSON.stringify(payload), headers: { "content-type": "application/json" } };
      const response = await app.inject({ method, url, ...withBody, headers: { ...withBody.headers, ...headers } });
      const text = response.body;
      const isJson = String(response.headers["content-type"] ?? "").startsWith("application/json");
      const body: unknown = isJson && text !== "" ? JSON.parse(text) : undefined;
      return { status: response.statusCode, headers: response.headers, text, body };
    },
  };
}

/** Creates a source connector through the API (the way every tool does), asserting it worked. */
export async function createConnector(f: Fixture, name: string, config: object = SOURCE_CONFIG): Promise<void> {
  const answer = await f.request("POST", "/connectors", { name, config });
  if (answer.status !== 201) throw new Error(`creating ${name} answered ${answer.status}: ${answer.text}`);
}

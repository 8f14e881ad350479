// GET /api/info: what this server offers and whether the caller is logged in, the first thing the UI asks.
import type { FastifyInstance } from "fastify";
import type { HttpAuth } from "../http/index.ts";
import { FABRIK_VERSION } from "../version.ts";
import { identityOf, userOf } from "./auth.ts";

/** Which SQL table holds the alerts and which stream their acknowledgements (the demo's pipeline names them). */
export interface AlertNames {
  readonly table: string;
  readonly acks: string;
}

export interface ServerInfo {
  readonly version: string;
  readonly auth: "none" | "required";
  readonly authenticated: boolean;
  /** The schemes an Authorization header may use: `bearer` with a token, `basic` with users. */
  readonly schemes: readonly ("bearer" | "basic")[];
  readonly connect: boolean;
  readonly sql: boolean;
  readonly alerts: AlertNames | null;
  /** The logged-in user's name (Basic or a session started with user and password). */
  readonly user?: string;
}

export interface InfoOptions {
  readonly auth: HttpAuth | undefined;
  readonly connect: boolean;
  readonly sql: boolean;
  readonly alerts: AlertNames | undefined;
}

export function infoRoute(app: FastifyInstance, options: InfoOptions): void {
  const { auth } = options;
  const schemes: ("bearer" | "basic")[] = [];
  if (auth?.token !== undefined) schemes.push("bearer");
  if (auth?.users !== undefined && Object.keys(auth.users).length > 0) schemes.push("basic");
  app.get("/api/info", async (request): Promise<ServerInfo> => {
    const identity = identityOf(request);
    const user = userOf(identity);
    return {
      version: FABRIK_VERSION,
      auth: auth === undefined ? "none" : "required",
      authenticated: identity.kind !== "anonymous",
      schemes,
      connect: options.connect,
      sql: options.sql,
      alerts: options.alerts ?? null,
      ...(user === undefined ? {} : { user }),
    };
  });
}

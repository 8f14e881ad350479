// Who may call the server's API: Bearer token, Basic users or a session cookie on every /api/ path but info and session;
// a CSRF guard on changes made with a cookie; and, without auth, only requests that name a loopback host.
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authChallenges, authenticator, type HttpAuth, isLoopback } from "../http/index.ts";
import { errorBody, pathOf } from "./errors.ts";
import { clearedSessionCookie, type SessionStore, sessionCookie, sessionIdOf } from "./sessions.ts";

/** What the UI sends on every request: marks it as the UI's (the CSRF guard) and asks for no native login prompt. */
export const UI_HEADER = "x-requested-with";
export const UI_HEADER_VALUE = "fabrik-ui";

/** How a request proved who it is. */
export type Identity =
  | { readonly kind: "open" }
  | { readonly kind: "token" }
  | { readonly kind: "user"; readonly user: string }
  | { readonly kind: "session"; readonly user?: string }
  | { readonly kind: "anonymous"; readonly refusal: string };

const identities = new WeakMap<FastifyRequest, Identity>();

/** The identity the guard found for a request (`open` when the server has no auth). */
export function identityOf(request: FastifyRequest): Identity {
  return identities.get(request) ?? { kind: "anonymous", refusal: "Authentication required" };
}

/** The user name to show for an identity: a Basic or session user. */
export function userOf(identity: Identity): string | undefined {
  return identity.kind === "user" || identity.kind === "session" ? identity.user : undefined;
}

const PUBLIC_PATHS = new Set(["/api/info", "/api/session"]);
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface GuardOptions {
  readonly auth: HttpAuth | undefined;
  readonly sessions: SessionStore;
}

function isApiPath(path: string): boolean {
  return path === "/api" || path.startsWith("/api/");
}

function fromUi(request: FastifyRequest): boolean {
  return request.headers[UI_HEADER] === UI_HEADER_VALUE;
}

/** The host part of a Host header (`127.0.0.1:8080`, `[::1]:8080`, `localhost`). */
function hostName(host: string): string {
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]"));
  const colon = host.lastIndexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

/**
 * A change asked by another site's page: a browser names the page's origin, and a page can post a form to any
 * address. Such requests are refused whatever their credentials (a server without auth has none to check). Ports are
 * not compared, as browsers do not for "same site": the UI's development server proxies from another port.
 */
function crossSite(request: FastifyRequest): boolean {
  if (request.headers["sec-fetch-site"] === "cross-site") return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    return new URL(origin).hostname.replace(/^\[|\]$/g, "") !== hostName(request.headers.host ?? "");
  } catch {
    // `null` (a sandboxed page, a file) or garbage: no site this server serves.
    return true;
  }
}

/** Adds the guard to `app` (before the APIs are registered, so that it covers them) and the session routes. */
export function addAuthGuard(app: FastifyInstance, options: GuardOptions): void {
  const { auth, sessions } = options;
  const check = auth === undefined ? undefined : authenticator(auth);
  const challenges = auth === undefined ? [] : authChallenges(auth, "Fabrik");

  const identify = (request: FastifyRequest): Identity => {
    if (check === undefined) return { kind: "open" };
    const authorization = request.headers.authorization;
    if (authorization !== undefined && authorization.length > 0) {
      const outcome = check(authorization);
      if (!outcome.ok) return { kind: "anonymous", refusal: outcome.message };
      const user = basicUser(authorization);
      return user === undefined ? { kind: "token" } : { kind: "user", user };
    }
    const id = sessionIdOf(request.headers.cookie);
    const session = id === undefined ? undefined : sessions.use(id);
    if (session !== undefined)
      return { kind: "session", ...(session.user === undefined ? {} : { user: session.user }) };
    const refusal =
      id === undefined
        ? "Authentication required: log in, or send an Authorization header"
        : "The session has expired or is unknown: log in again";
    return { kind: "anonymous", refusal };
  };

  const refuse = (request: FastifyRequest, reply: FastifyReply, status: number, message: string) => {
    // The UI shows its own login form: a challenge would make the browser show its native prompt first.
    if (status === 401 && !fromUi(request) && challenges.length > 0) reply.header("www-authenticate", challenges);
    return reply.code(status).send(errorBody(status, message));
  };

  app.addHook("onRequest", async (request, reply) => {
    // The route the router chose, not the URL as written: the router decodes it first (`/%61pi/…` is `/api/…`), so
    // judging the written form would let such a URL past. Unrouted requests end in a 404 or the UI's files.
    const path = request.routeOptions.url ?? pathOf(request.url);
    if (!isApiPath(path)) return;
    // Without auth, a page on another site could reach this loopback server through a DNS name of its own that it
    // points at 127.0.0.1 (DNS rebinding); such a request names that site's host, never a loopback one.
    if (auth === undefined && !isLoopback(hostName(request.headers.host ?? ""))) {
      return refuse(
        request,
        reply,
        403,
        `Host ${request.headers.host ?? "(none)"} is not this server's: use 127.0.0.1`,
      );
    }
    const changes = !SAFE_METHODS.has(request.method);
    if (changes && crossSite(request)) {
      return refuse(request, reply, 403, "Cross-site requests may not change anything here");
    }
    const identity = identify(request);
    identities.set(request, identity);
    if (PUBLIC_PATHS.has(path) || identity.kind === "open") return;
    if (identity.kind === "anonymous") return refuse(request, reply, 401, identity.refusal);
    // A cookie goes with every request the browser makes to this server, including a form another page submits.
    if (identity.kind === "session" && changes && !fromUi(request)) {
      return refuse(
        request,
        reply,
        403,
        `Changes made with a session cookie need the header X-Requested-With: ${UI_HEADER_VALUE}`,
      );
    }
  });

  app.post(
    "/api/session",
    {
      schema: {
        body: {
          type: "object",
          properties: { token: { type: "string" }, user: { type: "string" }, password: { type: "string" } },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { token?: string; user?: string; password?: string };
      if (check === undefined) return reply.code(204).send();
      let authorization: string;
      if (body.token !== undefined) authorization = `Bearer ${body.token}`;
      else if (body.user !== undefined && body.password !== undefined) {
        authorization = `Basic ${Buffer.from(`${body.user}:${body.password}`, "utf8").toString("base64")}`;
      } else {
        return reply.code(400).send(errorBody(400, 'Send {"token": "…"} or {"user": "…", "password": "…"}'));
      }
      const outcome = check(authorization);
      if (!outcome.ok) return reply.code(401).send(errorBody(401, outcome.message));
      const id = sessions.create(body.token === undefined ? body.user : undefined);
      return reply.code(204).header("set-cookie", sessionCookie(id)).send();
    },
  );

  app.delete("/api/session", async (request, reply) => {
    const id = sessionIdOf(request.headers.cookie);
    if (id !== undefined) sessions.delete(id);
    return reply.code(204).header("set-cookie", clearedSessionCookie()).send();
  });
}

/** The user name of a Basic Authorization header (already checked). */
function basicUser(authorization: string): string | undefined {
  const space = authorization.indexOf(" ");
  if (space < 0 || authorization.slice(0, space).toLowerCase() !== "basic") return undefined;
  const decoded = Buffer.from(authorization.slice(space + 1).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : decoded.slice(0, colon);
}

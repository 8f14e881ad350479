// Browser sessions: random 256-bit ids held in memory only, each forgotten after 12 hours without a request.
import { createHash, randomBytes } from "node:crypto";

export const SESSION_COOKIE = "fabrik_session";
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** More live sessions than any plant has people; past it the least recently used goes, so memory stays bounded. */
const DEFAULT_MAX_SESSIONS = 10_000;
/** 32 random bytes in base64url: 43 characters of [A-Za-z0-9_-]. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface Session {
  /** The user who logged in with a name and password; absent for a token login. */
  readonly user?: string;
  lastUsed: number;
}

export interface SessionStoreOptions {
  /** The clock, injectable so that tests can move time. */
  readonly now?: () => number;
  readonly idleMs?: number;
  readonly maxSessions?: number;
}

/**
 * Sessions by the SHA-256 of their id: the ids themselves are never kept, so a heap dump holds nothing a browser could
 * present. The map is kept in order of last use (a use moves the entry to the end), so expired and evicted sessions
 * are always at its front.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;
  readonly #idleMs: number;
  readonly #max: number;

  constructor(options: SessionStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#idleMs = options.idleMs ?? SESSION_IDLE_MS;
    this.#max = options.maxSessions ?? DEFAULT_MAX_SESSIONS;
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** A new session; returns its id, which only the browser keeps (in its cookie). */
  create(user?: string): string {
    this.#sweep();
    while (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    const id = randomBytes(32).toString("base64url");
    this.#sessions.set(digest(id), { ...(user === undefined ? {} : { user }), lastUsed: this.#now() });
    return id;
  }

  /** The live session with this id, its idle time restarted; undefined when unknown or expired. */
  use(id: string): Session | undefined {
    if (!SESSION_ID.test(id)) return undefined;
    const key = digest(id);
    const session = this.#sessions.get(key);
    if (session === undefined) return undefined;
    this.#sessions.delete(key);
    const now = this.#now();
    if (now - session.lastUsed >= this.#idleMs) return undefined;
    session.lastUsed = now;
    this.#sessions.set(key, session);
    return session;
  }

  delete(id: string): void {
    if (SESSION_ID.test(id)) this.#sessions.delete(digest(id));
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, session] of this.#sessions) {
      if (now - session.lastUsed < this.#idleMs) break;
      this.#sessions.delete(key);
    }
  }
}

function digest(id: string): string {
  return createHash("sha256").update(id).digest("base64url");
}

/** The session id a `Cookie` header carries, if any. */
export function sessionIdOf(cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The cookie that hands a browser its session: script cannot read it, and no other site's request carries it. */
export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The cookie that makes a browser forget its session. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
}

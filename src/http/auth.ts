// Who may call one of Fabrik's HTTP APIs: a Bearer token and/or HTTP Basic users (as Kafka Connect's Basic auth does).
import { createHash, timingSafeEqual } from "node:crypto";
import { HttpServerError } from "./errors.ts";

/** Credentials the server accepts; at least one of them. */
export interface HttpAuth {
  /** Accepted as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** user → password, accepted as `Authorization: Basic base64(user:password)`. */
  readonly users?: Readonly<Record<string, string>>;
}

export type AuthOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Refuses credentials that would let anyone in or could never match. */
export function checkAuth(auth: HttpAuth): void {
  const users = Object.entries(auth.users ?? {});
  if (auth.token === undefined && users.length === 0) {
    throw new HttpServerError("INVALID_AUTH", "REST auth has neither a token nor users: give `token` or `users`");
  }
  if (auth.token !== undefined && auth.token.length === 0) {
    throw new HttpServerError("INVALID_AUTH", "REST auth token is empty: give a long random string");
  }
  for (const [user, password] of users) {
    if (user.length === 0 || user.includes(":")) {
      throw new HttpServerError("INVALID_AUTH", `REST auth user "${user}" is not usable: names are non-empty, no ':'`);
    }
    if (password.length === 0) {
      throw new HttpServerError("INVALID_AUTH", `REST auth user "${user}" has an empty password`);
    }
  }
}

/** The `WWW-Authenticate` challenges a 401 carries, one per accepted scheme; `realm` names the API. */
export function authChallenges(auth: HttpAuth, realm: string): string[] {
  const challenges: string[] = [];
  if (auth.users !== undefined && Object.keys(auth.users).length > 0) {
    challenges.push(`Basic realm="${realm}", charset="UTF-8"`);
  }
  if (auth.token !== undefined) challenges.push(`Bearer realm="${realm}"`);
  return challenges;
}

// Hashing first gives both sides the same length, so the comparison takes the same time whatever the guess.
function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function sameSecret(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

/** Returns the check every request goes through; secrets are hashed once here, not per request. */
export function authenticator(auth: HttpAuth): (authorization: string | undefined) => AuthOutcome {
  checkAuth(auth);
  const token = auth.token === undefined ? undefined : digest(auth.token);
  const users = new Map(Object.entries(auth.users ?? {}).map(([user, password]) => [user, digest(password)]));
  // Unknown users are still compared against something, so a wrong name costs as long as a wrong password.
  const decoy = digest("fabrik: no such user");
  const refused = (message: string): AuthOutcome => ({ ok: false, message });

  return (authorization) => {
    if (authorization === undefined || authorization.length === 0) {
      return refused("Authentication required: send an Authorization header");
    }
    const space = authorization.indexOf(" ");
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const credentials = space < 0 ? "" : authorization.slice(space + 1).trim();
    if (scheme === "bearer" && token !== undefined) {
      return sameSecret(credentials, token) ? { ok: true } : refused("Invalid bearer token");
    }
    if (scheme === "basic" && users.size > 0) {
      const decoded = Buffer.from(credentials, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon < 0) return refused("Malformed Basic credentials: expected base64 of user:password");
      const expected = users.get(decoded.slice(0, colon));
      const matches = sameSecret(decoded.slice(colon + 1), expected ?? decoy);
      return matches && expected !== undefined ? { ok: true } : refused("Invalid user name or password");
    }
    return refused(`Authorization scheme "${scheme}" is not accepted here`);
  };
}

// Where a server of Fabrik's may listen: loopback by default, any other address only behind authentication.
import { BlockList, isIP } from "node:net";
import type { HttpAuth } from "./auth.ts";
import { HttpServerError } from "./errors.ts";

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** True for `localhost`, 127.0.0.0/8 and ::1 (also written long or IPv4-mapped). */
export function isLoopback(host: string): boolean {
  if (host.toLowerCase() === "localhost") return true;
  const family = isIP(host);
  if (family === 4) return loopback.check(host, "ipv4");
  if (family === 6) return loopback.check(host, "ipv6");
  return false;
}

/**
 * Throws INSECURE_BIND when `host` is not a loopback address and there is no `auth`. `api` names the API and `risk`
 * says what a stranger could do with it, so the message tells the operator why the rule exists.
 */
export function assertSafeBind(host: string, auth: HttpAuth | undefined, api: string, risk: string): void {
  if (auth !== undefined || isLoopback(host)) return;
  throw new HttpServerError(
    "INSECURE_BIND",
    `Refusing to serve the ${api} on ${host} without authentication: anyone who reaches it could ${risk}. ` +
      "Give `auth` ({ token } for Bearer, { users } for HTTP Basic), or bind to 127.0.0.1.",
  );
}

/** `host` as it goes in a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

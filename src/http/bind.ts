// Where a server of Fabrik's may listen: loopback by default, any other address only behind authentication.
import { BlockList, createServer, isIP } from "node:net";
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

/**
 * A port on `host` that was free a moment ago, for a server whose address others must know before it listens (a
 * connect worker announces its REST URL to the group first). Another process may take it in between: rare on loopback.
 */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

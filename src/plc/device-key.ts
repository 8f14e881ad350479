// Decides when two connection URLs reach the same device connection, so the manager opens only one for both.
import type { Driver } from "./driver.ts";
import type { ConnectionUrl } from "./url.ts";
import { isSecretOption } from "./url-options.ts";

/** What the manager knows a device by. */
export interface DeviceIdentity {
  /** Equal for URLs that share a connection. Holds the password, if any: never log it. */
  readonly key: string;
  /** The same device for people: canonical URL with secrets as `****`. Equal keys give equal names. */
  readonly name: string;
}

/**
 * Two URLs share a connection when all of these are equal:
 * - the driver, whichever of its protocol names the URL uses (`modbus://` and `modbus-tcp://` if one driver has both);
 * - the transport, an absent one counting as the driver's first (its default);
 * - the host, ignoring case; the port as written (an absent port is not equated with the protocol's default, which
 *   only the driver knows); the path as written;
 * - user and password;
 * - every option, in any order and however it was percent-encoded. The manager cannot tell which options a driver
 *   applies to the whole connection (most are: timeouts, unit id, byte order), so URLs that differ in any option get
 *   connections of their own rather than one of them silently getting the other's settings.
 */
export function deviceIdentity(url: ConnectionUrl, driver: Driver): DeviceIdentity {
  const protocol = driver.protocols[0] ?? url.protocol;
  const defaultTransport = driver.transports[0];
  const transport = url.transport ?? defaultTransport;
  const host = url.host.toLowerCase();
  const options = url.options
    .names()
    .sort()
    .map((name) => [name, url.options.string(name) ?? ""] as const);
  const key = JSON.stringify([
    protocol,
    transport ?? "",
    host,
    url.port ?? null,
    url.path,
    url.username ?? null,
    url.password ?? null,
    options,
  ]);

  const scheme = transport === undefined || transport === defaultTransport ? protocol : `${protocol}:${transport}`;
  const user =
    url.username === undefined
      ? ""
      : `${encodeURIComponent(url.username)}${url.password === undefined ? "" : ":****"}@`;
  const hostText = host.includes(":") ? `[${host.replace("%", "%25")}]` : host;
  const port = url.port === undefined ? "" : `:${url.port}`;
  const query = options
    .map(([name, value]) => `${encodeURIComponent(name)}=${isSecretOption(name) ? "****" : encodeURIComponent(value)}`)
    .join("&");
  const name = `${scheme}://${user}${hostText}${port}${url.path}${query === "" ? "" : `?${query}`}`;
  return { key, name };
}

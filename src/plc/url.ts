// Parses PLC4X connection URLs: `{protocol}[:{transport}]://[user[:password]@]{host}[:{port}][/path][?options]`.
import { isIPv6 } from "node:net";
import { InvalidUrlError } from "./errors.ts";
import { isSecretOption, type UrlOption, UrlOptions } from "./url-options.ts";

/** 1-based columns of the URL's parts, so a driver can point at the part it rejects. */
export interface UrlColumns {
  readonly protocol: number;
  readonly transport?: number;
  readonly host: number;
  readonly port?: number;
  readonly path?: number;
}

/** A parsed connection URL. Protocol and transport are lower case; host, port and path as written. */
export interface ConnectionUrl {
  /** The URL as given. It may hold a password: log `redacted` instead. */
  readonly text: string;
  /** The URL with password-like values replaced by `****`. */
  readonly redacted: string;
  readonly protocol: string;
  /** The part after `protocol:` in `opcua:tcp://`; undefined when the URL names none (the driver's default). */
  readonly transport: string | undefined;
  /** Percent-decoded user from `user:password@host`, for protocols that log in. */
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Host name, IPv4 address, or IPv6 address without brackets; empty for URLs like `serial:///dev/ttyUSB0`. */
  readonly host: string;
  readonly port: number | undefined;
  /** Starts with `/`, or is empty. Not decoded: it is passed on to the device as written. */
  readonly path: string;
  readonly options: UrlOptions;
  readonly columns: UrlColumns;
}

const NAME = /^[A-Za-z][A-Za-z0-9-]*/;
const EXPECTED_FORM = "{protocol}[:{transport}]://{host}[:{port}][/path][?options]";

/** Parses `text`; throws InvalidUrlError naming the column of the first problem. */
export function parseConnectionUrl(text: string): ConnectionUrl {
  const redacted = redactUrl(text);
  const error = (index: number, found: string, expected: string) =>
    new InvalidUrlError(redacted, index + 1, found, expected);
  const at = (index: number) => (index >= text.length ? "end of URL" : `'${text[index]}'`);

  const bad = findUnprintable(text);
  if (bad >= 0) {
    throw error(bad, text[bad] === " " ? "a space" : "a whitespace or control character", "no whitespace (write %20)");
  }

  const protocolMatch = NAME.exec(text);
  if (protocolMatch === null) throw error(0, at(0), `a protocol name, as in ${EXPECTED_FORM}`);
  const protocol = protocolMatch[0].toLowerCase();
  let i = protocolMatch[0].length;

  let transport: string | undefined;
  let transportColumn: number | undefined;
  if (text[i] === ":" && !text.startsWith("://", i)) {
    const match = NAME.exec(text.slice(i + 1));
    if (match === null) throw error(i + 1, at(i + 1), "a transport name (e.g. tcp) or '//'");
    transport = match[0].toLowerCase();
    transportColumn = i + 2;
    i += 1 + match[0].length;
  }
  if (!text.startsWith("://", i)) throw error(i, at(i), `'://', as in ${EXPECTED_FORM}`);
  i += 3;

  const authorityEnd = findFirst(text, i, "/?#");
  let hostStart = i;
  let username: string | undefined;
  let password: string | undefined;
  const atSign = text.lastIndexOf("@", authorityEnd - 1);
  if (atSign >= i) {
    const colon = text.indexOf(":", i);
    const userEnd = colon >= 0 && colon < atSign ? colon : atSign;
    username = decode(text, i, userEnd, redacted);
    if (userEnd < atSign) password = decode(text, userEnd + 1, atSign, redacted);
    hostStart = atSign + 1;
  }

  const { host, hostEnd } = readHost(text, hostStart, authorityEnd, error, at);
  let port: number | undefined;
  let portColumn: number | undefined;
  if (hostEnd < authorityEnd) {
    // readHost stops at ':' or the end of the authority; anything else it already rejected.
    const digits = text.slice(hostEnd + 1, authorityEnd);
    if (!/^[0-9]{1,5}$/.test(digits) || Number(digits) < 1 || Number(digits) > 65535) {
      const found = digits === "" ? "an empty port" : `port '${digits}'`;
      throw error(hostEnd + 1, found, "a port number 1..65535");
    }
    port = Number(digits);
    portColumn = hostEnd + 2;
  }

  i = authorityEnd;
  let path = "";
  let pathColumn: number | undefined;
  if (text[i] === "/") {
    const pathEnd = findFirst(text, i, "?#");
    path = text.slice(i, pathEnd);
    pathColumn = i + 1;
    i = pathEnd;
  }

  let entries: UrlOption[] = [];
  if (text[i] === "?") {
    const queryEnd = findFirst(text, i + 1, "#");
    entries = readOptions(text, i + 1, queryEnd, redacted);
    i = queryEnd;
  }
  if (text[i] === "#") throw error(i, "'#'", "no fragment in a connection URL (write %23)");

  const columns: UrlColumns = {
    protocol: 1,
    host: hostStart + 1,
    ...(transportColumn === undefined ? {} : { transport: transportColumn }),
    ...(portColumn === undefined ? {} : { port: portColumn }),
    ...(pathColumn === undefined ? {} : { path: pathColumn }),
  };
  const options = new UrlOptions(redacted, entries);
  return { text, redacted, protocol, transport, username, password, host, port, path, options, columns };
}

/**
 * `text` with the values of password-like options and the password in `user:password@` replaced by `****`. Works on
 * URLs that do not parse, so that error messages about them never leak a secret.
 */
export function redactUrl(text: string): string {
  let out = text;
  const scheme = out.indexOf("://");
  if (scheme >= 0) {
    const authorityStart = scheme + 3;
    const authorityEnd = findFirst(out, authorityStart, "/?#");
    const atSign = out.lastIndexOf("@", authorityEnd - 1);
    const colon = out.indexOf(":", authorityStart);
    if (atSign >= authorityStart && colon >= 0 && colon < atSign) {
      out = `${out.slice(0, colon + 1)}****${out.slice(atSign)}`;
    }
  }
  const query = out.indexOf("?");
  if (query < 0) return out;
  const queryEnd = findFirst(out, query + 1, "#");
  const parts = out
    .slice(query + 1, queryEnd)
    .split("&")
    .map((part) => {
      const equals = part.indexOf("=");
      if (equals < 0) return part;
      let name = part.slice(0, equals);
      try {
        name = decodeURIComponent(name);
      } catch {
        // A malformed name is reported by the parser; here it only needs to be compared.
      }
      return isSecretOption(name) ? `${part.slice(0, equals)}=****` : part;
    });
  return `${out.slice(0, query + 1)}${parts.join("&")}${out.slice(queryEnd)}`;
}

function readHost(
  text: string,
  start: number,
  end: number,
  error: (index: number, found: string, expected: string) => InvalidUrlError,
  at: (index: number) => string,
): { host: string; hostEnd: number } {
  if (text[start] === "[") {
    const close = text.indexOf("]", start);
    if (close < 0 || close >= end) throw error(end, at(end), "']' closing the IPv6 address");
    const literal = text.slice(start + 1, close);
    // A zone id is written `%25eth0` in URLs (RFC 6874); the host keeps it as `%eth0`, the way sockets want it.
    const [address = "", zone] = literal.split("%25");
    if (!isIPv6(address)) throw error(start + 1, `'${literal}'`, "an IPv6 address inside [ ]");
    if (close + 1 < end && text[close + 1] !== ":")
      throw error(close + 1, at(close + 1), "':' and a port, '/', '?' or end of URL");
    return { host: zone === undefined ? address : `${address}%${zone}`, hostEnd: close + 1 };
  }
  let i = start;
  while (i < end && /[A-Za-z0-9._~-]/.test(text[i] ?? "")) i++;
  if (i < end && text[i] !== ":") {
    throw error(i, at(i), "a host name, IPv4 address or [IPv6 address], then ':' and a port, '/', '?' or end of URL");
  }
  const host = text.slice(start, i);
  if (/^[0-9.]+$/.test(host) && !isIPv4(host))
    throw error(start, `'${host}'`, "an IPv4 address a.b.c.d with parts 0..255");
  return { host, hostEnd: i };
}

function isIPv4(host: string): boolean {
  const parts = host.split(".");
  return parts.length === 4 && parts.every((part) => /^[0-9]{1,3}$/.test(part) && Number(part) <= 255);
}

function readOptions(text: string, start: number, end: number, redacted: string): UrlOption[] {
  const entries: UrlOption[] = [];
  let i = start;
  while (i < end) {
    const segmentEnd = findFirst(text, i, "&", end);
    if (segmentEnd > i) {
      const equals = text.indexOf("=", i);
      if (equals < 0 || equals >= segmentEnd) {
        const name = text.slice(i, segmentEnd);
        throw new InvalidUrlError(redacted, i + 1, `option '${name}' without a value`, "name=value");
      }
      if (equals === i) throw new InvalidUrlError(redacted, i + 1, "an option without a name", "name=value");
      entries.push({
        name: decode(text, i, equals, redacted),
        value: decode(text, equals + 1, segmentEnd, redacted),
        column: i + 1,
        valueColumn: equals + 2,
      });
    }
    i = segmentEnd + 1;
  }
  return entries;
}

/** Percent-decodes `text.slice(start, end)`; `+` stays a plus (RFC 3986, not HTML forms). */
function decode(text: string, start: number, end: number, redacted: string): string {
  const raw = text.slice(start, end);
  const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(raw);
  if (badEscape !== null) {
    throw new InvalidUrlError(redacted, start + badEscape.index + 1, "a '%' not followed by two hex digits", "%XX");
  }
  try {
    return decodeURIComponent(raw);
  } catch {
    const first = raw.indexOf("%");
    throw new InvalidUrlError(redacted, start + first + 1, "percent-escapes that are not UTF-8", "UTF-8 bytes as %XX");
  }
}

/** Index of the first space, whitespace or control character, or -1: none of them belongs in a URL. */
function findUnprintable(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code <= 0x20 || code === 0x7f || /\s/.test(text[i] ?? "")) return i;
  }
  return -1;
}

function findFirst(text: string, start: number, chars: string, end = text.length): number {
  for (let i = start; i < end; i++) if (chars.includes(text[i] ?? "")) return i;
  return end;
}

// What PRINT shows of a record: the key and value formats guessed from the bytes seen so far, and one line per record.

/** The formats PRINT tells apart, in the order it names (and renders by) them. */
export type PrintFormat = "JSON" | "KAFKA_INT" | "KAFKA_BIGINT" | "KAFKA_DOUBLE" | "KAFKA_STRING";

const FORMATS: readonly PrintFormat[] = ["JSON", "KAFKA_INT", "KAFKA_BIGINT", "KAFKA_DOUBLE", "KAFKA_STRING"];
/** What ksqlDB says before it has seen a record with data. */
const NO_DATA = "¯\\_(ツ)_/¯ - no data processed";
/** When no format reads every record seen (the bytes are printed escaped). */
const UNRECOGNIZED = "UNRECOGNIZED_BYTES";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Narrows the formats one side of a topic's records (key or value) can be in, as records are seen: a 4-byte value
 * may be an INT, 8 bytes a BIGINT or a DOUBLE (bytes cannot tell those apart), text a STRING, and text that parses as
 * JSON also JSON. Null and empty records say nothing and narrow nothing.
 */
class FormatDetector {
  #candidates: PrintFormat[] = [...FORMATS];
  #seen = false;

  observe(bytes: Uint8Array | null): void {
    if (bytes === null || bytes.length === 0) return;
    this.#seen = true;
    const text = decodeUtf8(bytes);
    this.#candidates = this.#candidates.filter((format) => fits(format, bytes, text));
  }

  /** The formats still possible, as PRINT's header names them: `JSON or KAFKA_STRING`. */
  describe(): string {
    if (!this.#seen) return NO_DATA;
    return this.#candidates.length === 0 ? UNRECOGNIZED : this.#candidates.join(" or ");
  }

  /** The bytes as the first format still possible reads them; `<null>` for a null record. */
  render(bytes: Uint8Array | null): string {
    if (bytes === null) return "<null>";
    if (bytes.length === 0) return "";
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (this.#candidates[0]) {
      case "KAFKA_INT":
        return String(buffer.readInt32BE(0));
      case "KAFKA_BIGINT":
        return String(buffer.readBigInt64BE(0));
      case "KAFKA_DOUBLE":
        return String(buffer.readDoubleBE(0));
      case "JSON":
      case "KAFKA_STRING":
        return decodeUtf8(bytes) ?? escapeBytes(buffer);
      default:
        return escapeBytes(buffer);
    }
  }
}

function fits(format: PrintFormat, bytes: Uint8Array, text: string | undefined): boolean {
  switch (format) {
    case "KAFKA_INT":
      return bytes.length === 4;
    case "KAFKA_BIGINT":
    case "KAFKA_DOUBLE":
      return bytes.length === 8;
    case "KAFKA_STRING":
      return text !== undefined;
    case "JSON":
      return text !== undefined && parsesAsJson(text);
  }
}

/**
 * The bytes as text when they are valid UTF-8 without control characters other than tab, line feed and carriage
 * return: binary numbers are mostly valid UTF-8 too (zero bytes), but nobody writes text with NULs in it.
 */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  // Bytes below 0x80 never occur inside a multi-byte UTF-8 sequence, so control characters show as single bytes.
  for (const byte of bytes) {
    if ((byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) || byte === 0x7f) return undefined;
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Printable ASCII as it is, every other byte as \xNN. */
function escapeBytes(bytes: Buffer): string {
  let out = "";
  for (const byte of bytes) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** A record's time as PRINT shows it: `2026/11/24 10:15:00.123 Z`, always UTC. */
export function formatRowtime(timestamp: number): string {
  const iso = new Date(timestamp).toISOString(); // 2026-11-24T10:15:00.123Z
  return `${iso.slice(0, 10).replaceAll("-", "/")} ${iso.slice(11, 23)} Z`;
}

export interface PrintedRecord {
  readonly timestamp: number;
  readonly partition: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
}

/**
 * Lines for a batch of records: the batch is looked at as a whole first, so that the formats named (and used to render)
 * are those that fit all of it; the `Key format:` and `Value format:` lines come again whenever that changes.
 */
export class PrintFormatter {
  readonly #keys = new FormatDetector();
  readonly #values = new FormatDetector();
  #header = "";

  lines(records: readonly PrintedRecord[]): string[] {
    for (const record of records) {
      this.#keys.observe(record.key);
      this.#values.observe(record.value);
    }
    const out: string[] = [];
    const header = `Key format: ${this.#keys.describe()}\nValue format: ${this.#values.describe()}`;
    if (records.length > 0 && header !== this.#header) {
      this.#header = header;
      out.push(...header.split("\n"));
    }
    for (const record of records) {
      out.push(
        `rowtime: ${formatRowtime(record.timestamp)}, key: ${this.#keys.render(record.key)}, ` +
          `value: ${this.#values.render(record.value)}, partition: ${record.partition}`,
      );
    }
    return out;
  }
}

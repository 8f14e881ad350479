// Reads the lines PRINT streams (`Key format: …`, `Value format: …`, then `rowtime: …, key: …, value: …, partition: n`)
// back into messages, so the Topics page can show key, value, time and partition in columns.

export interface PrintedMessage {
  /** ms since the epoch; PRINT writes UTC. */
  readonly rowtime: number;
  readonly key: string;
  readonly value: string;
  readonly partition: number;
  /** PRINT shows offsets only in some versions: present when the line had one. */
  readonly offset?: number;
}

export type PrintLine =
  | { readonly kind: "key-format"; readonly format: string }
  | { readonly kind: "value-format"; readonly format: string }
  | { readonly kind: "message"; readonly message: PrintedMessage }
  | { readonly kind: "other"; readonly text: string };

const ROWTIME = /^rowtime: (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) Z, key: /;
const TAIL = /, partition: (\d+)(?:, offset: (\d+))?$/;
const SEPARATOR = ", value: ";

export function parsePrintLine(line: string): PrintLine {
  if (line.startsWith("Key format: ")) return { kind: "key-format", format: line.slice("Key format: ".length) };
  if (line.startsWith("Value format: ")) return { kind: "value-format", format: line.slice("Value format: ".length) };
  const head = ROWTIME.exec(line);
  const tail = TAIL.exec(line);
  if (head === null || tail === null) return { kind: "other", text: line };
  const n = (group: number) => Number(head[group]);
  const rowtime = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6), n(7));
  const middle = line.slice(head[0].length, tail.index);
  const split = splitKeyValue(middle);
  if (split === undefined) return { kind: "other", text: line };
  const offset = tail[2] === undefined ? {} : { offset: Number(tail[2]) };
  return {
    kind: "message",
    message: { rowtime, key: split.key, value: split.value, partition: Number(tail[1]), ...offset },
  };
}

/**
 * `key, value: value` where either side may itself hold ", value: " (inside JSON text): the split is the first one
 * whose key reads as JSON when the key looks like JSON, else the first one.
 */
function splitKeyValue(text: string): { key: string; value: string } | undefined {
  let at = text.indexOf(SEPARATOR);
  const first = at;
  if (at < 0) return undefined;
  if (/^[{["]/.test(text)) {
    while (at >= 0) {
      if (isJson(text.slice(0, at))) return { key: text.slice(0, at), value: text.slice(at + SEPARATOR.length) };
      at = text.indexOf(SEPARATOR, at + 1);
    }
  }
  return { key: text.slice(0, first), value: text.slice(first + SEPARATOR.length) };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON text indented for reading; anything else as it is. */
export function prettyJson(text: string): { pretty: string; json: boolean } {
  const trimmed = text.trim();
  if (!/^[{[]/.test(trimmed)) return { pretty: text, json: false };
  try {
    return { pretty: JSON.stringify(JSON.parse(trimmed), null, 2), json: true };
  } catch {
    return { pretty: text, json: false };
  }
}

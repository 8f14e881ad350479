// Setting a tag from the UI (POST /api/write): the server produces one record for the sink that allow-lists the tag,
// and that sink writes it to the machine. Only tags the plant marks `writable` are accepted.
import { apiJson } from "./http.ts";

export interface TagWrite {
  connector: string;
  source: string;
  tag: string;
  value: number | boolean | string;
}

/** Where the record went: the sink's topic, its partition and offset. */
export interface WriteReceipt {
  topic: string;
  partition: number;
  offset: number;
}

export function writeTag(write: TagWrite): Promise<WriteReceipt> {
  return apiJson<WriteReceipt>("/api/write", { method: "POST", json: write });
}

/**
 * The value typed into the dialog as the JSON the server takes: text for string tags; otherwise true/false, then a
 * number. What fits neither goes as text, and the server says why it does not fit the tag's type.
 */
export function parseWriteValue(text: string, address: string): number | boolean | string {
  if (/STRING|CHAR/i.test(address)) return text;
  const trimmed = text.trim();
  if (/^(true|false)$/i.test(trimmed)) return trimmed.toLowerCase() === "true";
  const number = Number(trimmed);
  return trimmed !== "" && Number.isFinite(number) ? number : text;
}

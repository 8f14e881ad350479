// How far Kafka holds an exactly-once source's buffer: one record per source in an offsets topic, read back on start.
//
// Key: the JSON array ["connector","source"] (Kafka Connect also keys source offsets by a JSON array; names may then
// hold any character, "/" included). Value: JSON {"bufferId":"…","position":n}: every record of buffer `bufferId` up to
// `position` is in Kafka. The record is written in the same transaction as the records it counts, so both commit or
// neither does; the latest committed record of a key wins, and a tombstone forgets the offset. Values that do not parse
// are passed over: an older offset only replays records (duplicates), it never skips any.
import { type KafkaConfig, readCommitted } from "../../kafka/index.ts";

export interface SourceOffset {
  /** The `StoreAndForward.id` of the buffer the position belongs to. */
  readonly bufferId: string;
  /** The last buffer position whose record is in Kafka. */
  readonly position: number;
}

export function sourceOffsetKey(connector: string, source: string): Buffer {
  return Buffer.from(JSON.stringify([connector, source]));
}

export function encodeSourceOffset(offset: SourceOffset): Buffer {
  return Buffer.from(JSON.stringify({ bufferId: offset.bufferId, position: offset.position }));
}

/** The offset a value holds, or undefined when it is not one. */
export function decodeSourceOffset(value: Buffer): SourceOffset | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const { bufferId, position } = parsed as { bufferId?: unknown; position?: unknown };
  if (typeof bufferId !== "string" || bufferId === "") return undefined;
  if (typeof position !== "number" || !Number.isSafeInteger(position) || position < 0) return undefined;
  return { bufferId, position };
}

/** Whether `key` names this source (compared as JSON, so another writer's spacing does not matter). */
export function isSourceOffsetKey(key: Buffer | null, connector: string, source: string): boolean {
  if (key === null) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(key.toString("utf8"));
  } catch {
    return false;
  }
  return Array.isArray(parsed) && parsed.length === 2 && parsed[0] === connector && parsed[1] === source;
}

/**
 * The latest committed offset of `connector`/`source` in `offsetsTopic`, or undefined when there is none. Read after
 * the source's transactional id was initialised, no transaction of it is pending, so this is the last word.
 */
export async function readSourceOffset(
  kafka: KafkaConfig,
  offsetsTopic: string,
  connector: string,
  source: string,
  /** Ends the read (see readCommitted): a sender that closes must not wait for a Kafka that does not answer. */
  signal?: AbortSignal,
): Promise<SourceOffset | undefined> {
  let latest: SourceOffset | undefined;
  await readCommitted(
    kafka,
    offsetsTopic,
    (record) => {
      if (!isSourceOffsetKey(record.key, connector, source)) return;
      if (record.value === null || record.value.length === 0) latest = undefined;
      else latest = decodeSourceOffset(record.value) ?? latest;
    },
    { clientId: `fabrik-offsets-${connector}-${source}`, signal },
  );
  return latest;
}

// The tag record format: one record per tag value, for historians and consumers that want one value per message.
import type { TagReading } from "../../plc/index.ts";
import { renderTemplate } from "../config/topic-template.ts";
import { encodeJson } from "./json.ts";
import type { KafkaRecordDraft, RecordSample } from "./record.ts";
import { plcValueToJson } from "./value-json.ts";

/** The tag format's key unless the job sets one: `line1-press/temperature`. */
export const DEFAULT_TAG_KEY = "{source}/{tag}";

/** A tag record, with the alias it carries (topic templates may name `{tag}`). */
export interface TagRecordDraft extends KafkaRecordDraft {
  readonly tag: string;
}

/**
 * One record per reading of the sample, in the job's tag order. The key is `keyTemplate` rendered with the source,
 * job and tag names (plain text, not JSON). The value is JSON; these field names are a contract and do not change:
 * - `value`: the tag's value (mapped as plcValueToJson says), `null` when it could not be read or is NaN/±Infinity.
 * - `quality`: `"GOOD"` | `"UNCERTAIN"` | `"BAD"`.
 * - `ts`: when Fabrik sampled the tag, whole ms since the epoch; also the Kafka record timestamp.
 * - `sourceTs`: the device's timestamp (ms since the epoch), only where the protocol gives one.
 * - `error`: `{"code", "message"}`, only for a BAD tag.
 * - `nonFinite`: which float was replaced by `null` (see NonFiniteMark), only when there was one.
 */
export function tagRecords(sample: RecordSample, keyTemplate: string = DEFAULT_TAG_KEY): TagRecordDraft[] {
  return Object.entries(sample.readings).map(([tag, reading]) => {
    const key = renderTemplate(keyTemplate, { source: sample.source, job: sample.job, tag });
    const ts = Math.floor(reading.sampledAt);
    return { tag, key, value: encodeJson(tagValue(reading, ts)), timestamp: ts };
  });
}

function tagValue(reading: TagReading, ts: number) {
  if (reading.code !== "OK") {
    return { value: null, quality: reading.quality, ts, error: { code: reading.code, message: reading.message } };
  }
  const value = plcValueToJson(reading.value);
  return { value: value.json, quality: reading.quality, ts, sourceTs: reading.sourceTime, nonFinite: value.nonFinite };
}

// Which tags of a connector's sources the web UI may write: those that a sink of the same connector allow-lists for
// the same device, under the same alias and at the same address. The UI never reaches a PLC; the sink does.
import type { ConnectorConfig, SinkConfig } from "../connect/config/index.ts";
import { deviceIdentity, drivers, PlcError } from "../plc/index.ts";

/** What the `plant` event says of a writable tag: the sink that writes it and the topic it consumes. */
export interface TagWriter {
  readonly sink: string;
  readonly topic: string;
}

/** A source's tag that a sink may write, with that sink. */
export interface WritableTag {
  readonly connector: string;
  readonly source: string;
  readonly alias: string;
  readonly address: string;
  readonly sink: SinkConfig;
  /** The sink's first topic: where a write's record goes. */
  readonly topic: string;
}

export function writableKey(connector: string, source: string, alias: string): string {
  return `${connector}\u0000${source}\u0000${alias}`;
}

/**
 * The device a URL reaches, as the connection manager tells devices apart (driver, host, port, options); undefined
 * for a URL no driver takes (the configuration check reports it).
 */
function deviceKey(url: string): string | undefined {
  try {
    const checked = drivers.check(url);
    return deviceIdentity(checked.url, checked.driver).key;
  } catch (error) {
    if (error instanceof PlcError) return undefined;
    throw error;
  }
}

/**
 * Every writable tag of `config`'s sources by writableKey. The address must be the same text as well as the alias:
 * the UI shows the value read at the source's address and must write that one, not another tag that shares its name.
 * When several sinks allow-list a tag, the first in the configuration writes it.
 */
export function findWritableTags(connector: string, config: ConnectorConfig): Map<string, WritableTag> {
  const found = new Map<string, WritableTag>();
  const sinks = config.sinks.flatMap((sink) => {
    const device = deviceKey(sink.url);
    const topic = sink.topics[0];
    return device === undefined || topic === undefined ? [] : [{ sink, device, topic }];
  });
  if (sinks.length === 0) return found;
  for (const source of config.sources) {
    const device = deviceKey(source.url);
    if (device === undefined) continue;
    for (const tag of source.jobs.flatMap((job) => job.tags)) {
      const key = writableKey(connector, source.name, tag.alias);
      if (found.has(key)) continue;
      const writer = sinks.find(
        (candidate) =>
          candidate.device === device &&
          candidate.sink.tags.some((allowed) => allowed.alias === tag.alias && allowed.address === tag.address),
      );
      if (writer === undefined) continue;
      found.set(key, {
        connector,
        source: source.name,
        alias: tag.alias,
        address: tag.address,
        sink: writer.sink,
        topic: writer.topic,
      });
    }
  }
  return found;
}

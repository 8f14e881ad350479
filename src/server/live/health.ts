// Each source's health for the live feed, once a second: its state from the connect worker, its poll latency over the
// last 10 s and its value and error totals from the worker's metrics, its last sample from Kafka.
import type { ConnectMetrics } from "../../connect/rest/metrics.ts";
import type { ConnectorStatus, ConnectService } from "../../connect/service.ts";
import type { PlantCatalog } from "../plant-catalog.ts";

export type SourceState = "connected" | "connecting" | "degraded" | "disconnected" | "paused" | "unassigned";

export interface SourceHealth {
  readonly connector: string;
  readonly source: string;
  readonly state: SourceState;
  /** Mean poll latency over the last 10 s; null when the source finished no poll then. */
  readonly pollLatencyMs: number | null;
  /** Failed reads since the worker started. */
  readonly errors: number;
  /** Values read since the worker started. */
  readonly values: number;
  readonly lastSampleTs: number | null;
}

/** The `health` event's data. */
export interface PlantHealth {
  readonly sources: readonly SourceHealth[];
}

/** The latency histogram's sum and count for one source, at one moment. */
interface LatencyTotals {
  readonly sum: number;
  readonly count: number;
}

/** Seconds of latency history the mean spans. */
const LATENCY_WINDOW = 10;

/** How the feed keys a source in its maps. */
export function sourceKey(connector: string, source: string): string {
  return `${connector}\u0000${source}`;
}

interface MetricValue {
  readonly labels: Readonly<Record<string, string | number | undefined>>;
  readonly value: number;
  readonly metricName?: string;
}

/** Sums a metric's values per source (over jobs and codes). */
async function perSource(metrics: ConnectMetrics, name: string, suffix?: string): Promise<Map<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  const totals = new Map<string, number>();
  if (metric === undefined) return totals;
  const { values } = (await metric.get()) as { values: readonly MetricValue[] };
  for (const { labels, value, metricName } of values) {
    if (suffix !== undefined && metricName !== `${name}${suffix}`) continue;
    const key = sourceKey(String(labels.connector), String(labels.source));
    totals.set(key, (totals.get(key) ?? 0) + value);
  }
  return totals;
}

/** A worker's state names as the feed says them; `closed` is a connection the worker let go of. */
function stateOf(health: unknown): SourceState {
  switch (health) {
    case "connected":
    case "connecting":
    case "degraded":
    case "disconnected":
      return health;
    default:
      return "disconnected";
  }
}

/** Keeps the last 10 s of latency totals, so that each report gives the mean over that window. */
export class HealthReporter {
  readonly #service: ConnectService;
  readonly #metrics: ConnectMetrics;
  /** Per second, the latency totals per source; the oldest first. */
  readonly #latency: Map<string, LatencyTotals>[] = [];

  constructor(service: ConnectService, metrics: ConnectMetrics) {
    this.#service = service;
    this.#metrics = metrics;
  }

  /** Takes this second's latency totals; call once a second, clients or not, so that the window stays full. */
  async sample(): Promise<void> {
    const [sums, counts] = await Promise.all([
      perSource(this.#metrics, "fabrik_source_poll_latency_seconds", "_sum"),
      perSource(this.#metrics, "fabrik_source_poll_latency_seconds", "_count"),
    ]);
    const now = new Map<string, LatencyTotals>();
    for (const [key, count] of counts) now.set(key, { sum: sums.get(key) ?? 0, count });
    this.#latency.push(now);
    if (this.#latency.length > LATENCY_WINDOW + 1) this.#latency.shift();
  }

  /** Every source of the catalog with its state and numbers. */
  async report(catalog: PlantCatalog, lastSamples: ReadonlyMap<string, number>): Promise<PlantHealth> {
    const connectors = [...new Set(catalog.jobs.map((ref) => ref.connector))];
    const statuses = new Map<string, ConnectorStatus | undefined>(
      await Promise.all(connectors.map(async (name) => [name, await this.#service.status(name)] as const)),
    );
    const [values, errors] = await Promise.all([
      perSource(this.#metrics, "fabrik_source_values_total"),
      perSource(this.#metrics, "fabrik_source_errors_total"),
    ]);
    const sources = new Map<string, { connector: string; source: string; task: number }>();
    for (const ref of catalog.jobs) sources.set(sourceKey(ref.connector, ref.source), ref);
    const reports = await Promise.all(
      [...sources].map(async ([key, { connector, source, task }]): Promise<SourceHealth> => {
        const state = await this.#state(statuses.get(connector), source, task);
        return {
          connector,
          source,
          state,
          pollLatencyMs: this.#meanLatency(key),
          errors: errors.get(key) ?? 0,
          values: values.get(key) ?? 0,
          lastSampleTs: lastSamples.get(key) ?? null,
        };
      }),
    );
    return { sources: reports };
  }

  async #state(status: ConnectorStatus | undefined, source: string, task: number): Promise<SourceState> {
    const taskState = status?.tasks.find((t) => t.id === task)?.state;
    if (status?.connector.state === "PAUSED" || taskState === "PAUSED") return "paused";
    if (taskState === undefined || taskState === "UNASSIGNED") return "unassigned";
    if (taskState !== "RUNNING") return "disconnected";
    // The worker running it may be another one, which may not answer: its sources then show as disconnected.
    const live = await this.#service.liveSource(source).catch(() => null);
    if (live === null) return "disconnected";
    if (live === undefined) return "unassigned";
    // Another worker of the group runs it: its answer is passed on as that worker's REST API wrote it.
    if ("forwarded" in live) {
      const forwarded = live.forwarded as { health?: unknown } | null;
      return stateOf(forwarded?.health);
    }
    return stateOf(live.health);
  }

  #meanLatency(key: string): number | null {
    const newest = this.#latency.at(-1)?.get(key);
    const oldest = this.#latency[0]?.get(key) ?? { sum: 0, count: 0 };
    if (newest === undefined) return null;
    const count = newest.count - oldest.count;
    if (count <= 0) return null;
    return ((newest.sum - oldest.sum) / count) * 1000;
  }
}

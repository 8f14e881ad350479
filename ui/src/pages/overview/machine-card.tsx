// One machine (a source of a connector) on the overview: its name, protocol, machine state and connection, the
// connection's numbers (poll latency, errors, age of the last sample), and its tags (with "Set…" on those a sink may
// write). The header follows the health feed every second without re-rendering the tag rows; values turn grey when the
// machine's samples are late; a card far off screen shows still rows and takes no live updates.
import { computed } from "@preact/signals";
import type { JSX } from "preact";
import { useMemo, useRef } from "preact/hooks";
import {
  health,
  liveState,
  liveTag,
  now,
  type PlantSource,
  type SourceHealth,
  sourceKey,
  tagKey,
} from "../../api/live.ts";
import { formatAge, formatCount, formatNumber, formatTimestamp, NO_VALUE } from "../../components/format.ts";
import { useInView } from "../../components/in-view.ts";
import { protocolName } from "../../components/protocol.ts";
import { Badge, StatusPill } from "../../components/status-pill.tsx";
import type { TagEntry } from "./filter.ts";
import { enumLabels, machineStateTone } from "./tag-enum.ts";
import { TagRow, TagRowPlaceholder } from "./tag-row.tsx";

/** Samples older than this many intervals (and at least 5 s) mean the values shown are no longer current. */
const STALE_INTERVALS = 3;

function isStale(sourceHealth: SourceHealth | undefined, intervalMs: number, at: number): boolean {
  if (sourceHealth === undefined) return false;
  if (sourceHealth.state !== "connected" && sourceHealth.state !== "degraded") return true;
  if (sourceHealth.lastSampleTs === null) return true;
  return at - sourceHealth.lastSampleTs > Math.max(STALE_INTERVALS * intervalMs, 5000);
}

/** The machine's state word, from a tag named `state` whose description names its codes. */
function MachineState({ source }: { source: PlantSource }): JSX.Element | null {
  for (const job of source.jobs) {
    const tag = job.tags.find((candidate) => candidate.alias === "state");
    const labels = enumLabels(tag?.description);
    if (tag === undefined || labels === undefined) continue;
    const reading = liveTag(tagKey(source.connector, source.source, job.name, tag.alias)).reading.value;
    if (reading === undefined || typeof reading.value !== "number") return null;
    const name = labels.get(reading.value) ?? `STATE ${reading.value}`;
    return (
      <StatusPill
        state={name.toLowerCase()}
        label={name}
        tone={machineStateTone(name)}
        title={`Machine state ${name} (${reading.value})`}
        testId="machine-state"
      />
    );
  }
  return null;
}

/** Errors that grew within this long are news (shown in red); older ones are history. */
const RECENT_ERRORS_MS = 60_000;
/** Per source: the error count last seen and when it last grew. */
const errorHistory = new Map<string, { count: number; grewAt: number }>();

function recentErrors(key: string, count: number | null, at: number): boolean {
  if (count === null) return false;
  const seen = errorHistory.get(key);
  if (seen === undefined) {
    // The first count seen is history unless it grows.
    errorHistory.set(key, { count, grewAt: Number.NEGATIVE_INFINITY });
    return false;
  }
  if (count > seen.count) errorHistory.set(key, { count, grewAt: at });
  else if (count < seen.count) errorHistory.set(key, { count, grewAt: seen.grewAt });
  return at - (errorHistory.get(key)?.grewAt ?? Number.NEGATIVE_INFINITY) < RECENT_ERRORS_MS;
}

function ConnectionFacts({ source }: { source: PlantSource }): JSX.Element {
  const sourceHealth = health.value.get(sourceKey(source.connector, source.source));
  const at = now.value;
  // Without the live feed the last health known is old news: say so rather than show it as current.
  const feedDown = liveState.value !== "live";
  const state = feedDown ? "unknown" : (sourceHealth?.state ?? "unknown");
  const last = sourceHealth?.lastSampleTs ?? null;
  const latency = sourceHealth?.pollLatencyMs ?? null;
  const errors = sourceHealth?.errors ?? null;
  const growing = recentErrors(sourceKey(source.connector, source.source), errors, at);
  return (
    <div class="machine-facts">
      <StatusPill
        state={state}
        label={feedDown ? "no live feed" : sourceHealth === undefined ? "no health yet" : state}
        title={feedDown ? `Unknown while the live feed is down — ${source.url}` : `Connection ${state} — ${source.url}`}
        testId="connection-state"
      />
      <span class="fact" title="Mean poll latency over the last 10 s">
        <span class="fact-label">poll</span>
        <span class="fact-value" data-testid="poll-latency">
          {latency === null ? NO_VALUE : `${formatNumber(latency, latency < 10 ? 1 : 0)} ms`}
        </span>
      </span>
      <span
        class={growing ? "fact fact-bad" : "fact"}
        title={`Read errors since the worker started: ${growing ? "more" : "none"} within the last minute`}
      >
        <span class="fact-label">errors</span>
        <span class="fact-value" data-testid="error-count">
          {errors === null ? NO_VALUE : formatCount(errors)}
        </span>
      </span>
      <span
        class="fact"
        title={last === null ? "No sample yet" : `Age of the last sample (${formatTimestamp(last, true)})`}
      >
        <span class="fact-label">age</span>
        <span class="fact-value" data-testid="sample-age">
          {last === null ? NO_VALUE : formatAge(Math.max(0, at - last))}
        </span>
      </span>
    </div>
  );
}

export interface MachineCardProps {
  source: PlantSource;
  tags: TagEntry[];
  total: number;
  problemsOnly: boolean;
}

export function MachineCard({ source, tags, total, problemsOnly }: MachineCardProps): JSX.Element {
  const key = sourceKey(source.connector, source.source);
  const writable = source.jobs.some((job) => job.tags.some((tag) => tag.writable !== undefined));
  const intervalMs = Math.min(...source.jobs.map((job) => job.intervalMs), 60_000);
  const element = useRef<HTMLElement>(null);
  const inView = useInView(element);
  // Bound to the element's class directly: the card's rows do not re-render when the machine goes stale.
  const cardClass = useMemo(
    () =>
      computed(() => {
        const sourceHealth = health.value.get(key);
        const classes = ["machine", "panel"];
        if (isStale(sourceHealth, intervalMs, now.value)) classes.push("machine-stale");
        if (problemsOnly) {
          const troubled =
            (sourceHealth !== undefined && sourceHealth.state !== "connected") ||
            tags.some(({ job, tag }) => {
              const quality = liveTag(tagKey(source.connector, source.source, job.name, tag.alias)).reading.value
                ?.quality;
              return quality !== undefined && quality !== "GOOD";
            });
          if (!troubled) classes.push("machine-hidden");
        }
        return classes.join(" ");
      }),
    [key, intervalMs, problemsOnly, tags, source],
  );
  return (
    <section
      ref={element}
      class={cardClass}
      data-testid="machine"
      data-source={source.source}
      aria-label={`Machine ${source.source}`}
    >
      <header class="machine-header">
        <div class="machine-title">
          <h2 data-testid="machine-name">{source.source}</h2>
          <Badge title={source.url}>
            <span data-testid="machine-protocol">{protocolName(source.protocol)}</span>
          </Badge>
          {tags.length < total ? (
            <span class="muted small">
              {tags.length} of {total} tags
            </span>
          ) : null}
          <span class="machine-title-spacer" />
          <MachineState source={source} />
        </div>
        <ConnectionFacts source={source} />
      </header>
      <div class={writable ? "machine-tags machine-tags-writable" : "machine-tags"}>
        {tags.map(({ job, tag }) =>
          inView ? (
            <TagRow
              key={`${job.name}/${tag.alias}`}
              connector={source.connector}
              source={source.source}
              job={job}
              tag={tag}
              problemsOnly={problemsOnly}
              actionColumn={writable}
            />
          ) : (
            <TagRowPlaceholder key={`${job.name}/${tag.alias}`} tag={tag} actionColumn={writable} />
          ),
        )}
      </div>
    </section>
  );
}

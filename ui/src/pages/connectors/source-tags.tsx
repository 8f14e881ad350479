// One source's tags as the worker running it last read them (GET /api/connect/sources/{s}/tags, every 2 s): value,
// quality and response code per tag; and what can be said about browsing the PLC's address space.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { type LiveSource, type LiveTag, sourceTags } from "../../api/connect.ts";
import { now } from "../../api/live.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatAge, formatValue, isFloatAddress } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { StatusPill } from "../../components/status-pill.tsx";

const POLL_MS = 2000;

/** Tag units by job and alias, from the long form of Fabrik's connector config (`alias: { address, unit }`). */
export function unitsOf(config: Readonly<Record<string, unknown>>, source: string): ReadonlyMap<string, string> {
  const units = new Map<string, string>();
  const sources = config.sources;
  if (typeof sources !== "object" || sources === null) return units;
  const jobs = (sources as Record<string, { jobs?: unknown }>)[source]?.jobs;
  if (!Array.isArray(jobs)) return units;
  for (const job of jobs as { name?: unknown; tags?: unknown }[]) {
    if (typeof job?.tags !== "object" || job.tags === null) continue;
    for (const [alias, tag] of Object.entries(job.tags as Record<string, unknown>)) {
      const unit = (tag as { unit?: unknown } | null)?.unit;
      if (typeof unit === "string") units.set(`${String(job.name)}/${alias}`, unit);
    }
  }
  return units;
}

function tagColumns(units: ReadonlyMap<string, string>): Column<LiveTag>[] {
  return TAG_COLUMNS.map((column) =>
    column.id !== "value"
      ? column
      : {
          ...column,
          cell: (t: LiveTag) => {
            const unit = units.get(`${t.job}/${t.alias}`);
            return (
              <>
                {formatValue(t.value, isFloatAddress(t.address))}
                <span class="tag-unit">{unit ?? ""}</span>
              </>
            );
          },
        },
  );
}

const TAG_COLUMNS: readonly Column<LiveTag>[] = [
  { id: "alias", header: "Tag", value: (t) => t.alias, cell: (t) => <span class="mono">{t.alias}</span>, width: "20%" },
  {
    id: "address",
    header: "Address",
    value: (t) => t.address,
    cell: (t) => <span class="mono muted">{t.address}</span>,
    width: "26%",
  },
  {
    id: "value",
    header: "Value",
    value: (t) => (typeof t.value === "number" ? t.value : formatValue(t.value)),
    cell: (t) => formatValue(t.value, isFloatAddress(t.address)),
    numeric: true,
  },
  {
    id: "quality",
    header: "Quality",
    value: (t) => t.quality,
    cell: (t) => (
      <StatusPill
        state={t.quality}
        title={t.code === "OK" ? t.quality : `${t.code}${t.message === undefined ? "" : `: ${t.message}`}`}
      />
    ),
    width: "130px",
  },
  {
    id: "code",
    header: "Code",
    value: (t) => t.code,
    cell: (t) => <span class={t.code === "OK" ? "muted mono" : "mono"}>{t.code}</span>,
    width: "130px",
  },
  {
    id: "sampled",
    header: "Sampled",
    value: (t) => t.sampledAt,
    cell: (t) => <span class="num">{formatAge(now.value - t.sampledAt)}</span>,
    numeric: true,
    width: "90px",
  },
];

function tagKey(tag: LiveTag): string {
  return `${tag.job}/${tag.alias}`;
}

/** The protocol of a PLC4X connection URL: its scheme. */
export function protocolOf(url: string | undefined): string {
  return url === undefined ? "" : (/^([a-z0-9-]+):/i.exec(url)?.[1] ?? "").toLowerCase();
}

function BrowseNote({ protocol }: { protocol: string }): JSX.Element {
  const browsable = ["opcua", "ads", "logix", "eip"].includes(protocol);
  return (
    <p class="browse-note small muted" data-testid="browse-note">
      <Icon name="info" size={14} />
      {browsable
        ? "Browsing this source's address space needs its driver, which this build does not have yet."
        : "Browsing is available for OPC UA, ADS and Logix sources"}
    </p>
  );
}

export function SourceTags(props: {
  source: string;
  url: string | undefined;
  units: ReadonlyMap<string, string>;
}): JSX.Element {
  const live = useSignal<LiveSource | null>(null);
  const columns = useMemo(() => tagColumns(props.units), [props.units]);
  const error = useSignal<unknown>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    live.value = null;
    const poll = () => {
      sourceTags(props.source)
        .then(
          (answer) => {
            if (stopped) return;
            live.value = answer;
            error.value = null;
          },
          (e: unknown) => {
            if (!stopped) error.value = e;
          },
        )
        .finally(() => {
          if (!stopped) timer = setTimeout(poll, POLL_MS);
        });
    };
    poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.source]);

  const answer = live.value;
  return (
    <div class="source-tags" data-testid="source-tags" data-source={props.source}>
      <div class="toolbar">
        <span class="muted small">
          {answer === null ? "Reading…" : `${answer.tags.length} tags, read by ${answer.worker_id}`}
        </span>
        {answer === null ? null : <StatusPill state={answer.health} testId="source-health" />}
        <span class="spacer" />
        <BrowseNote protocol={protocolOf(props.url)} />
      </div>
      {error.value === null ? null : (
        <ErrorBanner error={error.value} title={`Reading ${props.source}'s tags failed`} />
      )}
      <DataTable
        columns={columns}
        rows={answer?.tags ?? []}
        rowKey={tagKey}
        rowClass={(t) => (t.quality === "GOOD" ? undefined : `tag-${t.quality.toLowerCase()}`)}
        maxHeight="420px"
        label={`Tags of ${props.source}`}
        testId="source-tags-table"
        empty={answer === null ? "Reading…" : "This source has no tags."}
      />
    </div>
  );
}

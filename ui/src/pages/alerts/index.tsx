// The Alerts page (/alerts): every limit alert of the plant, live and newest first, with its severity (how far past
// its limit), open or acknowledged (by whom, when); select one to read it in full and acknowledge it with a note.
import type { JSX } from "preact";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { now } from "../../api/live.ts";
import { updateQuery, useQuery } from "../../app/router.ts";
import { serverInfo } from "../../app/session.ts";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { EmptyState } from "../../components/empty-state.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatCount, formatNumber, formatTime, formatTimestamp, NO_VALUE } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { Segmented } from "../../components/segmented.tsx";
import { StatusPill } from "../../components/status-pill.tsx";
import { AlertDetail } from "./alert-detail.tsx";
import { AlertFeed } from "./alert-feed.ts";
import { type Ack, type Alert, compareAlerts, excursionOf } from "./alert-model.ts";
import { SeverityPill } from "./severity.tsx";
import "./alerts.css";

interface AlertRow {
  readonly alert: Alert;
  readonly ack: Ack | undefined;
}

/** The demo's names, used until the server says which table and stream hold alerts (or when it cannot be asked). */
const DEFAULT_NAMES = { table: "LIMIT_ALERTS", acks: "ALERT_ACKS" } as const;

const SHOW = [
  { value: "open", label: "Unacknowledged" },
  { value: "all", label: "All" },
] as const;

function withUnit(value: number | null, unit: string | null): string {
  return value === null ? NO_VALUE : `${formatNumber(value)}${unit === null ? "" : ` ${unit}`}`;
}

const COLUMNS: readonly Column<AlertRow>[] = [
  {
    id: "severity",
    header: "Severity",
    value: (r) => excursionOf(r.alert)?.relative ?? 0,
    cell: (r) => <SeverityPill alert={r.alert} />,
    width: "110px",
  },
  {
    id: "machine",
    header: "Machine · signal",
    value: (r) => r.alert.name ?? r.alert.machineId,
    cell: (r) => (
      <span class="alert-what">
        {r.alert.name ?? r.alert.machineId} <span class="mono muted">{r.alert.signal}</span>
      </span>
    ),
    title: (r) => `${r.alert.name ?? r.alert.machineId} (${r.alert.machineId}) · ${r.alert.signal ?? ""}`,
  },
  {
    id: "worst",
    header: "Worst vs limit",
    headerTitle: "The sample furthest outside, and the limit it crossed",
    value: (r) => excursionOf(r.alert)?.worst ?? null,
    cell: (r) => {
      const e = excursionOf(r.alert);
      if (e === undefined) return NO_VALUE;
      return (
        <span>
          {formatNumber(e.worst)} {e.side === "high" ? ">" : "<"} {withUnit(e.limit, r.alert.unit)}
        </span>
      );
    },
    numeric: true,
    width: "180px",
  },
  {
    id: "outside",
    header: "Out",
    headerTitle: "Samples outside the limits in that minute",
    value: (r) => r.alert.samplesOutside,
    numeric: true,
    width: "64px",
  },
  {
    id: "minute",
    header: "Minute",
    value: (r) => r.alert.windowStart,
    cell: (r) => (
      <span class="num" title={formatTimestamp(r.alert.windowStart)}>
        {formatTime(r.alert.windowStart).slice(0, 5)}
        {r.alert.windowEnd !== null && r.alert.windowEnd > now.value ? (
          <span class="alert-ongoing"> ongoing</span>
        ) : null}
      </span>
    ),
    numeric: true,
    width: "100px",
  },
  {
    id: "status",
    header: "Status",
    value: (r) => (r.ack === undefined ? "open" : "acknowledged"),
    cell: (r) =>
      r.ack === undefined ? (
        <StatusPill state="open" tone="warn" icon="alerts" testId="alert-status" />
      ) : (
        <span class="alert-acked" data-testid="alert-status" data-state="acknowledged">
          <Icon name="good" size={12} label="acknowledged" /> {r.ack.ackedBy ?? "acknowledged"}
          {r.ack.ackedAt === null ? "" : `, ${formatTime(r.ack.ackedAt).slice(0, 5)}`}
        </span>
      ),
    width: "150px",
  },
];

function rowKey(row: AlertRow): string {
  return row.alert.id;
}

export function AlertsPage(): JSX.Element {
  const query = useQuery();
  const showAll = query.get("show") === "all";
  const selectedId = query.get("alert");
  const info = serverInfo.value;
  const names = info === null ? DEFAULT_NAMES : info.alerts;
  const user = info?.user ?? "operator";

  const feed = useMemo(
    () => (names === null ? null : new AlertFeed(names.table, names.acks)),
    [names?.table, names?.acks],
  );
  useEffect(() => {
    feed?.start();
    return () => feed?.stop();
  }, [feed]);

  // Rows keep their object while neither the alert nor its ack changed, so the table redraws only what did.
  const cache = useRef(new Map<string, AlertRow>());
  const alerts = feed?.alerts.value;
  const acks = feed?.acks.value;
  const rows = useMemo(() => {
    if (alerts === undefined || acks === undefined) return [];
    const next = new Map<string, AlertRow>();
    for (const alert of alerts.values()) {
      const ack = acks.get(alert.id);
      const cached = cache.current.get(alert.id);
      next.set(
        alert.id,
        cached !== undefined && cached.alert === alert && cached.ack === ack ? cached : { alert, ack },
      );
    }
    cache.current = next;
    return [...next.values()].sort((a, b) => compareAlerts(a.alert, b.alert));
  }, [alerts, acks]);

  if (feed === null) {
    return (
      <div class="page">
        <EmptyState title="No alerts here" icon="alerts" testId="alerts-none">
          This server names no SQL table of alerts. The demo's pipeline has one (LIMIT_ALERTS).
        </EmptyState>
      </div>
    );
  }

  const open = rows.filter((r) => r.ack === undefined);
  const shown = showAll ? rows : open;
  const selected = selectedId === null ? undefined : rows.find((r) => r.alert.id === selectedId);
  const bySeverity = (severity: string) => open.filter((r) => excursionOf(r.alert)?.severity === severity).length;
  const state = feed.state.value;

  return (
    <div class="page alerts-page" data-testid="alerts-page">
      <div class="page-header">
        <h1 class="page-title">Alerts</h1>
        <span class="alerts-summary" data-testid="alerts-summary" data-open={open.length}>
          <strong class="num">{formatCount(open.length)}</strong> open
          {open.length === 0 ? null : (
            <span class="muted">
              {" "}
              ({bySeverity("critical")} critical, {bySeverity("major")} major, {bySeverity("minor")} minor)
            </span>
          )}
          <span class="muted"> · {formatCount(rows.length)} in all</span>
        </span>
        <span class="spacer" />
        <StatusPill
          state={state === "live" ? "live" : state === "retrying" ? "reconnecting" : "connecting"}
          title={feed.error.value ?? `Reading ${names?.table} and ${names?.acks}`}
          testId="alerts-feed"
        />
        <Segmented
          options={SHOW}
          value={showAll ? "all" : "open"}
          onChange={(value) => updateQuery({ show: value === "all" ? "all" : null })}
          label="Which alerts"
          testId="alerts-show"
        />
      </div>
      {feed.error.value === null || state === "live" ? null : (
        <ErrorBanner warning error={feed.error.value} title="The alert feed is interrupted" />
      )}
      <div class="alerts-layout">
        <section class="panel alerts-list" aria-label="Alerts">
          <DataTable
            columns={COLUMNS}
            rows={shown}
            rowKey={rowKey}
            selectedKey={selectedId}
            onRowClick={(row) => updateQuery({ alert: row.alert.id })}
            rowClass={(row) =>
              row.ack === undefined ? `alert-row-${excursionOf(row.alert)?.severity ?? "none"}` : "alert-row-acked"
            }
            label="Alerts"
            testId="alerts-table"
            empty={
              state === "connecting"
                ? "Reading the alerts…"
                : showAll
                  ? "No alert so far: every watched signal stayed within its limits."
                  : "Nothing open: every alert is acknowledged."
            }
          />
        </section>
        {selected === undefined ? (
          <section class="panel alerts-side">
            <EmptyState title="Select an alert" icon="alerts">
              Its values and limit show here, with the form to acknowledge it.
            </EmptyState>
          </section>
        ) : (
          <AlertDetail
            alert={selected.alert}
            ack={selected.ack}
            acksStream={names?.acks ?? DEFAULT_NAMES.acks}
            user={user}
            onAcked={(ack) => feed.noteAck(ack)}
          />
        )}
      </div>
    </div>
  );
}

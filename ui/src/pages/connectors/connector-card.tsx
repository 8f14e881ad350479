// One connector: its state and the actions on it (pause, resume, restart), each task with the source or sink it runs
// and that source's connection health (the live feed's when it is up, else the worker's REST answer), and below,
// the selected source's tags or the configuration.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import {
  type ConnectorOverview,
  type ConnectorState,
  pauseConnector,
  restartConnector,
  resumeConnector,
  sourceTags,
  type TaskAssignment,
  taskAssignments,
} from "../../api/connect.ts";
import { health, liveState, now, sourceKey } from "../../api/live.ts";
import { updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatAge, formatCount, formatNumber, NO_VALUE } from "../../components/format.ts";
import { Panel } from "../../components/panel.tsx";
import { protocolName } from "../../components/protocol.ts";
import { Segmented } from "../../components/segmented.tsx";
import { Badge, StatusPill } from "../../components/status-pill.tsx";
import { ConfigPanel } from "./config-panel.tsx";
import { ConfirmButton } from "./confirm-button.tsx";
import { protocolOf, SourceTags, unitsOf } from "./source-tags.tsx";

interface TaskRow {
  readonly task: number;
  readonly kind: "source" | "sink";
  readonly name: string;
  readonly url: string | undefined;
  readonly state: ConnectorState | undefined;
  readonly trace: string | undefined;
  /** The source's connection: the live feed's state, or the worker's health word. */
  readonly connection: string | undefined;
  readonly latencyMs: number | null;
  readonly errors: number | null;
  readonly lastSampleTs: number | null;
}

const HEALTH_POLL_MS = 5000;

const TASK_COLUMNS: readonly Column<TaskRow>[] = [
  { id: "task", header: "Task", value: (r) => r.task, numeric: true, width: "64px" },
  {
    id: "name",
    header: "Source",
    value: (r) => r.name,
    cell: (r) => (
      <span class="mono">
        {r.name}
        {r.kind === "sink" ? <span class="muted"> (sink)</span> : null}
      </span>
    ),
  },
  {
    id: "protocol",
    header: "Protocol",
    value: (r) => protocolOf(r.url),
    cell: (r) => {
      const protocol = protocolOf(r.url);
      return protocol === "" ? NO_VALUE : <Badge title={protocol}>{protocolName(protocol)}</Badge>;
    },
    width: "130px",
  },
  {
    id: "state",
    header: "Task",
    headerTitle: "The task's state in the group (Kafka Connect's)",
    value: (r) => r.state ?? "",
    cell: (r) =>
      r.state === undefined ? NO_VALUE : <StatusPill state={r.state} title={r.trace ?? r.state} testId="task-state" />,
    width: "140px",
  },
  {
    id: "connection",
    header: "Connection",
    headerTitle: "The PLC connection's health",
    value: (r) => r.connection ?? "",
    cell: (r) =>
      r.connection === undefined ? NO_VALUE : <StatusPill state={r.connection} testId="source-connection" />,
    width: "150px",
  },
  {
    id: "latency",
    header: "Poll latency",
    value: (r) => r.latencyMs,
    cell: (r) => (r.latencyMs === null ? NO_VALUE : `${formatNumber(r.latencyMs, r.latencyMs < 10 ? 1 : 0)} ms`),
    numeric: true,
    width: "110px",
  },
  {
    id: "errors",
    header: "Errors",
    value: (r) => r.errors,
    cell: (r) => (r.errors === null ? NO_VALUE : formatCount(r.errors)),
    numeric: true,
    width: "80px",
  },
  {
    id: "last",
    header: "Last sample",
    value: (r) => r.lastSampleTs,
    cell: (r) => (r.lastSampleTs === null ? NO_VALUE : ageText(now.value - r.lastSampleTs)),
    numeric: true,
    width: "110px",
  },
  {
    id: "url",
    header: "URL",
    value: (r) => r.url ?? "",
    cell: (r) => <span class="mono muted">{r.url ?? NO_VALUE}</span>,
  },
];

/** "now", else "12 s ago". */
function ageText(ms: number): string {
  const age = formatAge(ms);
  return age === "now" ? age : `${age} ago`;
}

function rowKey(row: TaskRow): string {
  return `${row.kind}/${row.name}`;
}

/** Each source's health word from the worker (REST), polled while the live feed is not there to say it. */
function useRestHealth(sources: readonly string[], enabled: boolean): ReadonlyMap<string, string> {
  const answers = useSignal<ReadonlyMap<string, string>>(new Map());
  const key = sources.join(",");
  useEffect(() => {
    if (!enabled || sources.length === 0) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const results = await Promise.allSettled(sources.map((s) => sourceTags(s)));
      if (stopped) return;
      const next = new Map<string, string>();
      results.forEach((result, index) => {
        if (result.status === "fulfilled") next.set(sources[index]!, result.value.health);
      });
      answers.value = next;
      timer = setTimeout(() => void poll(), HEALTH_POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [key, enabled]);
  return answers.value;
}

type Tab = "tags" | "config";

export function ConnectorCard(props: { overview: ConnectorOverview; onChanged: () => void }): JSX.Element {
  const { overview } = props;
  const { name, status, info } = overview;
  const query = useQuery();
  const assignments = useSignal<readonly TaskAssignment[]>([]);
  const actionError = useSignal<unknown>(null);
  const busy = useSignal(false);
  const taskCount = status.tasks.length;
  // The list is read again every few seconds: compare configurations by content, not by object.
  const configKey = JSON.stringify(info.config);

  useEffect(() => {
    taskAssignments(name).then(
      (list) => {
        assignments.value = list;
      },
      () => {
        assignments.value = [];
      },
    );
  }, [name, taskCount, configKey]);

  const live = liveState.value === "live";
  const sources = useMemo(
    () => assignments.value.filter((a) => a.kind === "source").map((a) => a.name),
    [assignments.value],
  );
  const restHealth = useRestHealth(sources, !live);
  const liveHealth = health.value;

  const rows: TaskRow[] = assignments.value.map((a) => {
    const task = status.tasks.find((t) => t.id === a.task);
    const fed = live ? liveHealth.get(sourceKey(name, a.name)) : undefined;
    return {
      ...a,
      state: task?.state,
      trace: task?.trace,
      connection: a.kind === "sink" ? undefined : (fed?.state ?? restHealth.get(a.name)),
      latencyMs: fed?.pollLatencyMs ?? null,
      errors: fed?.errors ?? null,
      lastSampleTs: fed?.lastSampleTs ?? null,
    };
  });

  const mine = query.get("connector") === name || query.get("connector") === null;
  const selectedSource = mine ? (query.get("source") ?? sources[0] ?? null) : (sources[0] ?? null);
  const tab: Tab = mine && query.get("tab") === "config" ? "config" : "tags";
  const selectedRow = rows.find((r) => r.kind === "source" && r.name === selectedSource);
  const units = useMemo(
    () => (selectedSource === null ? new Map<string, string>() : unitsOf(info.config, selectedSource)),
    [configKey, selectedSource],
  );

  const act = (action: (connector: string) => Promise<void>) => {
    busy.value = true;
    actionError.value = null;
    action(name)
      .then(
        () => props.onChanged(),
        (error: unknown) => {
          actionError.value = error;
        },
      )
      .finally(() => {
        busy.value = false;
      });
  };

  const state = status.connector.state;
  const actions = (
    <>
      <StatusPill
        state={state}
        title={status.connector.trace ?? `${state} on ${status.connector.worker_id}`}
        testId="connector-state"
      />
      {state === "PAUSED" ? (
        <Button small icon="play" disabled={busy.value} onClick={() => act(resumeConnector)} testId="connector-resume">
          Resume
        </Button>
      ) : (
        <Button small icon="pause" disabled={busy.value} onClick={() => act(pauseConnector)} testId="connector-pause">
          Pause
        </Button>
      )}
      <ConfirmButton
        small
        icon="refresh"
        variant="danger"
        disabled={busy.value}
        question={`Restart ${name} and its ${taskCount} tasks?`}
        confirmLabel="Restart"
        onConfirm={() => act(restartConnector)}
        testId="connector-restart"
      >
        Restart
      </ConfirmButton>
    </>
  );

  return (
    <Panel
      title={<span class="mono">{name}</span>}
      subtitle={`${status.type} connector · ${taskCount} ${taskCount === 1 ? "task" : "tasks"} · worker ${status.connector.worker_id}${live ? "" : " · health from the worker's REST API"}`}
      actions={actions}
      flush
      class="connector-card"
      testId="connector-card"
    >
      {actionError.value === null ? null : (
        <div class="connector-error">
          <ErrorBanner
            error={actionError.value}
            title="The connector did not take it"
            onDismiss={() => (actionError.value = null)}
          />
        </div>
      )}
      {status.connector.state === "FAILED" && status.connector.trace !== undefined ? (
        <pre class="connector-trace">{status.connector.trace}</pre>
      ) : null}
      <DataTable
        columns={TASK_COLUMNS}
        rows={rows}
        rowKey={rowKey}
        selectedKey={selectedRow === undefined ? null : rowKey(selectedRow)}
        onRowClick={(row) => {
          if (row.kind === "source") updateQuery({ connector: name, source: row.name, tab: null });
        }}
        rowClass={(row) => (row.state === "FAILED" ? "task-failed" : undefined)}
        label={`Tasks of ${name}`}
        testId="connector-tasks"
        empty="No tasks yet."
      />
      <div class="connector-detail">
        <Segmented
          options={[
            { value: "tags", label: selectedSource === null ? "Tags" : `Tags of ${selectedSource}` },
            { value: "config", label: "Configuration" },
          ]}
          value={tab}
          onChange={(value) => updateQuery({ connector: name, tab: value === "config" ? "config" : null })}
          label="Show"
          testId="connector-tab"
        />
        {tab === "config" ? (
          <ConfigPanel name={name} config={info.config} onSaved={props.onChanged} />
        ) : selectedSource === null ? (
          <p class="muted">This connector has no sources.</p>
        ) : (
          <SourceTags key={selectedSource} source={selectedSource} url={selectedRow?.url} units={units} />
        )}
      </div>
    </Panel>
  );
}

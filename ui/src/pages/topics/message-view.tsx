// One topic's messages, live: a toolbar (from the beginning or new only, pause, clear, how many to keep), the
// messages newest first, and the selected message's key and value pretty-printed.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo } from "preact/hooks";
import { updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { type Column, DataTable } from "../../components/data-table.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatCount, formatTimestamp } from "../../components/format.ts";
import { Segmented } from "../../components/segmented.tsx";
import { StatusPill } from "../../components/status-pill.tsx";
import { prettyJson } from "./print-lines.ts";
import { type TopicMessage, TopicWatch, type WatchState } from "./topic-watch.ts";

const CAPS = [100, 500, 2000] as const;

const START = [
  { value: "new", label: "New only", title: "Messages written from now on" },
  { value: "beginning", label: "From beginning", title: "Every message the topic still holds, then new ones" },
] as const;

const MESSAGE_COLUMNS: readonly Column<TopicMessage>[] = [
  {
    id: "time",
    header: "Time",
    value: (m) => m.rowtime,
    cell: (m) => <span class="num">{formatTimestamp(m.rowtime, true)}</span>,
    title: (m) => new Date(m.rowtime).toISOString(),
    width: "205px",
  },
  {
    id: "partition",
    header: "Part.",
    headerTitle: "Partition",
    value: (m) => m.partition,
    numeric: true,
    width: "60px",
  },
  {
    id: "offset",
    header: "Offset",
    value: (m) => m.offset,
    numeric: true,
    width: "80px",
    headerTitle: "PRINT shows offsets only when the server gives them",
  },
  { id: "key", header: "Key", value: (m) => m.key, cell: (m) => <span class="mono">{m.key}</span>, width: "24%" },
  { id: "value", header: "Value", value: (m) => m.value, cell: (m) => <span class="mono">{m.value}</span> },
];

/** PRINT gives offsets only in some versions: their column shows only when a message has one. */
const WITHOUT_OFFSET = MESSAGE_COLUMNS.filter((column) => column.id !== "offset");

function messageKey(message: TopicMessage): number {
  return message.seq;
}

const STATE_LABEL: Record<WatchState, string> = {
  connecting: "connecting",
  live: "live",
  ended: "ended",
  failed: "failed",
  stopped: "stopped",
};

function Pretty({ label, text }: { label: string; text: string }): JSX.Element {
  const { pretty, json } = prettyJson(text);
  return (
    <div class="topic-pretty">
      <h3 class="topic-pretty-label">
        {label} <span class="muted small">{json ? "JSON" : "text"}</span>
      </h3>
      <pre class="topic-pre" data-testid={`topic-message-${label.toLowerCase()}`}>
        {pretty}
      </pre>
    </div>
  );
}

export function MessageView({ topic }: { topic: string }): JSX.Element {
  const query = useQuery();
  const fromBeginning = query.get("from") === "beginning";
  const cap = useSignal<number>(500);
  const selectedSeq = useSignal<number | null>(null);
  const generation = useSignal(0);
  const watch = useMemo(
    () => new TopicWatch(topic, fromBeginning, cap.peek()),
    [topic, fromBeginning, generation.value],
  );
  useEffect(() => {
    selectedSeq.value = null;
    watch.start();
    return () => watch.stop();
  }, [watch]);

  const messages = watch.messages.value;
  const columns = messages.some((m) => m.offset !== undefined) ? MESSAGE_COLUMNS : WITHOUT_OFFSET;
  const selected = selectedSeq.value === null ? undefined : messages.find((m) => m.seq === selectedSeq.value);
  const state = watch.state.value;
  const paused = watch.paused.value;
  // PRINT names every format the bytes still fit ("JSON or KAFKA_STRING"): the first is how it shows them.
  const formats = [
    watch.keyFormat.value === null ? null : `key ${watch.keyFormat.value}`,
    watch.valueFormat.value === null ? null : `value ${watch.valueFormat.value}`,
  ].filter((f) => f !== null);
  const shortFormats = formats.map((f) => f.split(" or ")[0]);

  return (
    <section class="panel topics-messages" aria-label={`Messages of ${topic}`} data-testid="topic-messages">
      <header class="panel-header topic-head">
        <div class="panel-heading">
          <h2 class="panel-title mono">{topic}</h2>
          <span class="panel-subtitle" title={formats.join("\n")}>
            {shortFormats.join(" · ")}
          </span>
        </div>
        <StatusPill
          state={paused ? "paused" : state === "live" ? "live" : state}
          label={paused ? "paused" : STATE_LABEL[state]}
          testId="topic-state"
        />
      </header>
      <div class="toolbar topic-bar">
        <Segmented
          options={START}
          value={fromBeginning ? "beginning" : "new"}
          onChange={(value) => updateQuery({ from: value === "beginning" ? "beginning" : null })}
          label="Which messages"
          testId="topic-start"
        />
        <Button
          small
          icon={paused ? "play" : "pause"}
          onClick={() => (paused ? watch.resume() : watch.pause())}
          testId="topic-pause"
        >
          {paused ? "Resume" : "Pause"}
        </Button>
        <Button small variant="ghost" icon="close" onClick={() => watch.clear()} testId="topic-clear">
          Clear
        </Button>
        {state === "ended" || state === "failed" ? (
          <Button small icon="refresh" onClick={() => generation.value++}>
            Reconnect
          </Button>
        ) : null}
        <span class="spacer" />
        <span class="num" data-testid="topic-count" data-count={watch.received.value}>
          {formatCount(watch.received.value)} received
        </span>
        {paused && watch.waiting.value > 0 ? (
          <span class="topic-waiting">{formatCount(watch.waiting.value)} waiting</span>
        ) : null}
        <label class="topic-cap">
          Keep
          <select
            value={cap.value}
            onChange={(event) => {
              cap.value = Number(event.currentTarget.value);
              watch.setCap(cap.value);
            }}
          >
            {CAPS.map((n) => (
              <option key={n} value={n}>
                {n.toLocaleString("en")}
              </option>
            ))}
          </select>
        </label>
      </div>
      {watch.error.value === null ? null : (
        <div class="topic-error">
          <ErrorBanner error={watch.error.value} title={`Watching ${topic} failed`} />
        </div>
      )}
      <div class="topic-table">
        <DataTable
          columns={columns}
          rows={messages}
          rowKey={messageKey}
          selectedKey={selectedSeq.value}
          onRowClick={(m) => {
            selectedSeq.value = m.seq === selectedSeq.value ? null : m.seq;
          }}
          label={`Messages of ${topic}`}
          testId="topic-message-table"
          empty={
            state === "connecting"
              ? "Connecting…"
              : fromBeginning
                ? "The topic holds no messages yet; new ones show here."
                : "Waiting for new messages…"
          }
        />
      </div>
      {selected === undefined ? (
        <p class="topic-hint muted small">Select a message to read its key and value in full.</p>
      ) : (
        <div class="topic-detail" data-testid="topic-detail">
          <div class="topic-detail-meta small muted">
            {formatTimestamp(selected.rowtime, true)} · partition {selected.partition}
            {selected.offset === undefined ? "" : ` · offset ${selected.offset}`}
          </div>
          <div class="topic-detail-body">
            <Pretty label="Key" text={selected.key} />
            <Pretty label="Value" text={selected.value} />
          </div>
        </div>
      )}
    </section>
  );
}

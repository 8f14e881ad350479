// The selected alert in full: which machine and signal, how far past which limit, in which minute, and either who
// acknowledged it when (with their note) or the form to acknowledge it.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { runStatements } from "../../api/sql.ts";
import { Button } from "../../components/button.tsx";
import { ErrorBanner } from "../../components/error-banner.tsx";
import { formatDate, formatNumber, formatTime, formatTimestamp, NO_VALUE } from "../../components/format.ts";
import { Icon } from "../../components/icon.tsx";
import { Panel } from "../../components/panel.tsx";
import { type Ack, type Alert, ackStatement, excursionOf } from "./alert-model.ts";
import { SeverityPill } from "./severity.tsx";

export interface AlertDetailProps {
  alert: Alert;
  ack: Ack | undefined;
  acksStream: string;
  user: string;
  onAcked: (ack: Ack) => void;
}

function withUnit(value: number | null, unit: string | null): string {
  return value === null ? NO_VALUE : `${formatNumber(value)}${unit === null ? "" : ` ${unit}`}`;
}

export function AlertDetail(props: AlertDetailProps): JSX.Element {
  const { alert, ack } = props;
  const note = useSignal("");
  const sending = useSignal(false);
  const error = useSignal<unknown>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const excursion = excursionOf(alert);

  useEffect(() => {
    note.value = "";
    error.value = null;
  }, [alert.id]);

  const acknowledge = (event: Event) => {
    event.preventDefault();
    sending.value = true;
    error.value = null;
    const text = note.value;
    runStatements(ackStatement(props.acksStream, alert, props.user, text))
      .then(
        () =>
          props.onAcked({
            alertId: alert.id,
            machineId: alert.machineId,
            ackedBy: props.user,
            note: text.trim() === "" ? null : text.trim(),
            ackedAt: Date.now(),
          }),
        (e: unknown) => {
          error.value = e;
        },
      )
      .finally(() => {
        sending.value = false;
      });
  };

  return (
    <Panel
      title={alert.name ?? alert.machineId}
      subtitle={alert.signal ?? undefined}
      actions={<SeverityPill alert={alert} />}
      class="alert-detail"
      testId="alert-detail"
    >
      <dl class="alert-facts">
        <dt>Worst value</dt>
        <dd class="num">{excursion === undefined ? NO_VALUE : withUnit(excursion.worst, alert.unit)}</dd>
        <dt>Limit</dt>
        <dd class="num">
          {excursion === undefined
            ? NO_VALUE
            : `${excursion.side === "high" ? "above" : "below"} ${withUnit(excursion.limit, alert.unit)}`}
        </dd>
        <dt>Outside by</dt>
        <dd class="num">
          {excursion === undefined
            ? NO_VALUE
            : `${withUnit(excursion.excess, alert.unit)}${
                Number.isNaN(excursion.relative) ? "" : ` (${formatNumber(excursion.relative * 100, 1)} %)`
              }`}
        </dd>
        <dt>Range seen</dt>
        <dd class="num">
          {withUnit(alert.lowest, alert.unit)} … {withUnit(alert.highest, alert.unit)}
        </dd>
        <dt>Samples outside</dt>
        <dd class="num">{alert.samplesOutside === null ? NO_VALUE : formatNumber(alert.samplesOutside)}</dd>
        <dt>Minute</dt>
        <dd class="num">
          {formatTime(alert.windowStart).slice(0, 5)}
          {alert.windowEnd === null ? "" : `–${formatTime(alert.windowEnd).slice(0, 5)}`},{" "}
          {formatDate(alert.windowStart)}
        </dd>
        <dt>Alert id</dt>
        <dd class="mono small">{alert.id}</dd>
      </dl>
      {ack !== undefined ? (
        <div class="alert-ack-info" data-testid="alert-ack-info">
          <Icon name="good" size={16} />
          <div>
            <p>
              Acknowledged by <strong>{ack.ackedBy ?? "someone"}</strong>
              {ack.ackedAt === null ? "" : ` at ${formatTimestamp(ack.ackedAt)}`}
            </p>
            {ack.note === null ? null : <p class="alert-note">“{ack.note}”</p>}
          </div>
        </div>
      ) : (
        <form class="alert-ack-form" onSubmit={acknowledge}>
          <label for="alert-note">Note (optional)</label>
          <textarea
            id="alert-note"
            ref={noteField}
            rows={3}
            maxLength={500}
            placeholder="What was done, or why it can wait"
            value={note.value}
            onInput={(event) => {
              note.value = event.currentTarget.value;
            }}
            data-testid="alert-note"
          />
          <div class="toolbar">
            <span class="muted small">as {props.user}</span>
            <span class="spacer" />
            <Button type="submit" variant="primary" icon="good" disabled={sending.value} testId="alert-ack">
              {sending.value ? "Acknowledging…" : "Acknowledge"}
            </Button>
          </div>
          {error.value === null ? null : <ErrorBanner error={error.value} title="Acknowledging failed" />}
        </form>
      )}
    </Panel>
  );
}

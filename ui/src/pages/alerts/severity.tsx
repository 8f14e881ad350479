// An alert's severity at a glance: a pill with an icon and the word (never colour alone), toned by how far the
// signal went past its limit.
import type { JSX } from "preact";
import { formatNumber } from "../../components/format.ts";
import { StatusPill, type Tone } from "../../components/status-pill.tsx";
import { type Alert, excursionOf, type Severity } from "./alert-model.ts";

const TONE: Record<Severity, Tone> = { critical: "bad", major: "warn", minor: "info" };
const ICON = { critical: "bad", major: "warn", minor: "info" } as const;

export function SeverityPill({ alert, compact }: { alert: Alert; compact?: boolean }): JSX.Element {
  const excursion = excursionOf(alert);
  if (excursion === undefined) return <StatusPill state="within limits" tone="neutral" compact={compact} />;
  const how = Number.isNaN(excursion.relative)
    ? "past a limit of 0"
    : `${formatNumber(excursion.relative * 100, 1)} % ${excursion.side === "high" ? "above" : "below"} the limit`;
  return (
    <StatusPill
      state={excursion.severity}
      tone={TONE[excursion.severity]}
      icon={ICON[excursion.severity]}
      title={`${excursion.severity}: ${how}`}
      compact={compact}
      testId="alert-severity"
    />
  );
}

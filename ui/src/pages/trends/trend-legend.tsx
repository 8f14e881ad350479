// The legend under the chart: per series its line, name, unit, value under the cursor (else the latest), how many
// points it has and whether the server thinned them, its loading state or error, and a button to remove it.
import type { ReadonlySignal } from "@preact/signals";
import type { JSX } from "preact";
import type uPlot from "uplot";
import { Button } from "../../components/button.tsx";
import { formatCount, formatNumber, formatTimestamp, NO_VALUE } from "../../components/format.ts";
import { Badge, StatusPill } from "../../components/status-pill.tsx";
import { seriesLabel } from "./series-spec.ts";
import type { ChartSeries } from "./trend-chart.tsx";
import type { TrendSeries } from "./trend-data.ts";

export interface TrendLegendProps {
  series: readonly TrendSeries[];
  looks: readonly ChartSeries[];
  data: uPlot.AlignedData;
  /** The data index under the cursor, or null for the latest values. */
  cursor: ReadonlySignal<number | null>;
  onRemove: (key: string) => void;
}

function Swatch({ look }: { look: ChartSeries }): JSX.Element {
  return (
    <svg class="legend-swatch" width="22" height="10" viewBox="0 0 22 10" aria-hidden="true">
      <line
        x1="1"
        y1="5"
        x2="21"
        y2="5"
        stroke={`var(${look.color})`}
        stroke-width="2.5"
        stroke-dasharray={look.dash?.join(" ")}
      />
    </svg>
  );
}

function latestValue(entry: TrendSeries): number | null {
  const values = entry.buffer.values;
  for (let i = values.length - 1; i >= 0; i--) {
    const value = values[i];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

function SeriesStatusCell({ entry }: { entry: TrendSeries }): JSX.Element | null {
  const status = entry.status.value;
  if (status.state === "loading") return <StatusPill state="connecting" label="loading" />;
  if (status.state === "error") {
    return <StatusPill state="error" label="failed" title={status.message} testId="legend-error" />;
  }
  return status.downsampled === true ? (
    <Badge title={`${formatCount(status.records ?? 0)} samples in the range, thinned to min/max per time bucket`}>
      min/max of {formatCount(status.records ?? 0)}
    </Badge>
  ) : null;
}

export function TrendLegend(props: TrendLegendProps): JSX.Element {
  const { data } = props;
  const cursor = props.cursor.value;
  const time = cursor === null ? undefined : data[0]?.[cursor];
  return (
    <div class="legend" data-testid="trend-legend">
      <div class="legend-head muted small">
        {time === undefined || time === null ? "Latest values" : `At ${formatTimestamp(time)}`}
      </div>
      {props.series.map((entry, index) => {
        const look = props.looks[index]!;
        const atCursor = cursor === null ? undefined : data[index + 1]?.[cursor];
        const value = cursor === null ? latestValue(entry) : (atCursor ?? null);
        const status = entry.status.value;
        return (
          <div
            key={entry.spec.key}
            class="legend-row"
            data-testid="legend-row"
            data-series={entry.spec.key}
            data-points={entry.buffer.length}
            data-state={status.state}
          >
            <Swatch look={look} />
            <span class="legend-label" title={entry.spec.key}>
              {entry.spec.kind === "sql" ? <Badge mono>SQL</Badge> : null} {seriesLabel(entry.spec)}
            </span>
            <span class="legend-value">{value === null ? NO_VALUE : formatNumber(value)}</span>
            <span class="legend-unit">{look.unit ?? ""}</span>
            <span class="legend-points muted small">{formatCount(entry.buffer.length)} points</span>
            <span class="legend-status">
              <SeriesStatusCell entry={entry} />
            </span>
            <Button
              small
              variant="ghost"
              icon="close"
              ariaLabel={`Remove ${seriesLabel(entry.spec)}`}
              title="Remove from the chart"
              onClick={() => props.onRemove(entry.spec.key)}
            />
          </div>
        );
      })}
    </div>
  );
}

// Trends (`/trends`): tags of the plant and SQL columns over time. The URL holds what is shown (?tags=…&sql=…
// &range=1h|…|custom&from=&to=&live=0); history comes from /api/history, live points from the live feed; drag to
// zoom, double-click or Reset to go back, Live to follow the clock or hold still.
import { useSignal } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { now, type PlantJob, type PlantSource, plant } from "../../api/live.ts";
import { navigate, updateQuery, useQuery } from "../../app/router.ts";
import { Button } from "../../components/button.tsx";
import { EmptyState } from "../../components/empty-state.tsx";
import { formatDate, formatTime, formatTimestamp } from "../../components/format.ts";
import { Segmented } from "../../components/segmented.tsx";
import { alignedData, pointCount } from "./chart-data.ts";
import { SeriesPicker } from "./series-picker.tsx";
import {
  parseSqlSpec,
  parseTagKey,
  queryWithSeries,
  RANGES,
  type RangeKey,
  rangeOf,
  type SeriesSpec,
  seriesLabel,
  seriesOfQuery,
  type TimeWindow,
  windowOf,
} from "./series-spec.ts";
import { type ChartSeries, TrendChart } from "./trend-chart.tsx";
import { TrendData } from "./trend-data.ts";
import { TrendLegend } from "./trend-legend.tsx";
import "./trends.css";

const COLORS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4"];
const DASHES: (number[] | undefined)[] = [undefined, [6, 3], [2, 3], [8, 3, 2, 3]];

function jobOf(spec: SeriesSpec, sources: readonly PlantSource[] | null): PlantJob | undefined {
  if (spec.kind !== "tag" || sources === null) return undefined;
  const source = sources.find((entry) => entry.connector === spec.connector && entry.source === spec.source);
  return source?.jobs.find((entry) => entry.name === spec.job);
}

function unitOf(spec: SeriesSpec, sources: readonly PlantSource[] | null): string | undefined {
  return spec.kind === "tag" ? jobOf(spec, sources)?.tags.find((tag) => tag.alias === spec.tag)?.unit : undefined;
}

/** A time for a datetime-local input: local "YYYY-MM-DDTHH:MM". */
function localInput(ts: number): string {
  return `${formatDate(ts)}T${formatTime(ts).slice(0, 5)}`;
}

function CustomRange({ window }: { window: TimeWindow }): JSX.Element {
  const set = (name: "from" | "to", text: string) => {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) updateQuery({ range: "custom", [name]: String(ms) });
  };
  return (
    <span class="custom-range">
      <label>
        From
        <input
          type="datetime-local"
          value={localInput(window.from)}
          onChange={(event) => set("from", event.currentTarget.value)}
          data-testid="range-from"
        />
      </label>
      <label>
        to
        <input
          type="datetime-local"
          value={localInput(window.to)}
          onChange={(event) => set("to", event.currentTarget.value)}
          data-testid="range-to"
        />
      </label>
    </span>
  );
}

export function TrendsPage(): JSX.Element {
  const query = useQuery();
  const specs = useMemo(() => seriesOfQuery(query), [query]);
  const specsKey = specs.map((spec) => spec.key).join("\n");
  const range = rangeOf(query);
  const follow = query.get("live") !== "0";
  const fromParam = query.get("from");
  const toParam = query.get("to");
  const trend = useMemo(() => new TrendData(), []);
  const [window, setWindow] = useState<TimeWindow>(() => windowOf(range, query, Date.now()));
  const [zoom, setZoom] = useState<[number, number] | null>(null);
  const [frozen, setFrozen] = useState<[number, number] | null>(null);
  // A signal, read by the legend alone: moving the mouse over the chart re-renders the legend, not the page.
  const cursor = useSignal<number | null>(null);

  useEffect(() => () => trend.stop(), [trend]);

  useEffect(() => {
    const next = windowOf(range, query, Date.now());
    setWindow(next);
    setZoom(null);
    setFrozen(null);
    trend.load(specs, next);
  }, [specsKey, range, fromParam, toParam, trend]);

  const series = trend.series.value;
  const version = trend.version.value;
  const sources = plant.value;
  const data = useMemo(() => alignedData(series.map((entry) => entry.buffer)), [series, version]);
  const unitsKey = series.map((entry) => unitOf(entry.spec, sources) ?? "").join("\n");
  const looks = useMemo<ChartSeries[]>(
    () =>
      series.map((entry, index) => ({
        label: seriesLabel(entry.spec),
        unit: unitOf(entry.spec, sources),
        intervalMs: jobOf(entry.spec, sources)?.intervalMs,
        color: COLORS[index % COLORS.length]!,
        dash: DASHES[Math.floor(index / COLORS.length) % DASHES.length],
      })),
    [series, unitsKey],
  );

  const axisUnits = [...new Set(looks.map((look) => look.unit ?? ""))];
  const clock = now.value;
  const span = window.to - window.from;
  const following = follow && window.moving;
  const moving: [number, number] = [Math.max(clock, Date.now()) - span, Math.max(clock, Date.now())];
  const xRange: [number, number] = zoom ?? (following ? moving : (frozen ?? [window.from, window.to]));

  const setSeries = (next: SeriesSpec[]) => navigate("/trends", queryWithSeries(query, next), { replace: true });
  const toggleTag = (key: string) => {
    const spec = parseTagKey(key);
    if (spec === undefined) return;
    setSeries(specs.some((entry) => entry.key === key) ? specs.filter((entry) => entry.key !== key) : [...specs, spec]);
  };
  const addSql = (text: string) => {
    const spec = parseSqlSpec(text);
    if (spec !== undefined && !specs.some((entry) => entry.key === spec.key)) setSeries([...specs, spec]);
  };
  const toggleFollow = () => {
    if (following) setFrozen(xRange);
    else setFrozen(null);
    updateQuery({ live: following ? "0" : null });
  };
  const selected = useMemo(() => new Set(specs.map((spec) => spec.key)), [specs]);
  const points = useMemo(() => pointCount(data), [data]);

  return (
    <div
      class="page trends"
      data-testid="trends-page"
      data-fetches={trend.fetches.value}
      data-points={points}
      data-range={range}
    >
      <div class="page-header">
        <h1 class="page-title">Trends</h1>
        <div class="toolbar trends-tools">
          <Segmented<RangeKey>
            label="Time range"
            options={RANGES.map((option) => ({ value: option.key, label: option.label }))}
            value={range}
            onChange={(key) =>
              // Custom starts from what is shown (a zoom included), fixed in the URL so that it can be shared.
              key === "custom"
                ? updateQuery({ range: key, from: String(Math.round(xRange[0])), to: String(Math.round(xRange[1])) })
                : updateQuery({ range: key === "1h" ? null : key, from: null, to: null })
            }
            testId="range"
          />
          {range === "custom" ? <CustomRange window={window} /> : null}
          <Button
            icon={following ? "pause" : "play"}
            pressed={following}
            disabled={!window.moving}
            onClick={toggleFollow}
            title={window.moving ? "Follow the clock with live values" : "A custom range does not move"}
            testId="live-follow"
          >
            Live
          </Button>
          <Button icon="zoomReset" disabled={zoom === null} onClick={() => setZoom(null)} testId="zoom-reset">
            Reset zoom
          </Button>
        </div>
      </div>
      <div class="trends-body">
        <SeriesPicker selected={selected} onToggle={toggleTag} onAddSql={addSql} />
        <div class="trends-main">
          <section class="panel chart-panel" aria-label="Chart">
            {series.length === 0 ? (
              <EmptyState title="Nothing to draw yet" icon="trends" testId="trends-empty">
                Tick tags on the left (or click a tag on the Overview) to draw them. A SQL column can be added too.
              </EmptyState>
            ) : (
              <>
                <div class="chart-caption muted small">
                  <span class="chart-unit" data-testid="axis-unit-left">
                    {axisUnits[0] ?? ""}
                  </span>
                  <span>
                    {formatTimestamp(xRange[0])} – {formatTimestamp(xRange[1])}
                  </span>
                  {zoom === null ? null : <span class="chart-zoomed">zoomed (double-click to reset)</span>}
                  {following && zoom === null ? <span class="chart-live">following live</span> : null}
                  <span class="chart-unit chart-unit-right">{axisUnits[1] ?? ""}</span>
                </div>
                <TrendChart
                  series={looks}
                  data={data}
                  dataVersion={version}
                  xRange={xRange}
                  onZoom={setZoom}
                  onReset={() => setZoom(null)}
                  onCursor={(index) => {
                    cursor.value = index;
                  }}
                />
                {points === 0 && series.every((entry) => entry.status.value.state !== "loading") ? (
                  <p class="chart-empty muted">No samples in this range.</p>
                ) : null}
              </>
            )}
          </section>
          {series.length === 0 ? null : (
            <TrendLegend
              series={series}
              looks={looks}
              data={data}
              cursor={cursor}
              onRemove={(key) => setSeries(specs.filter((spec) => spec.key !== key))}
            />
          )}
        </div>
      </div>
    </div>
  );
}

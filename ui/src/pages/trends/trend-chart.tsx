// The trend chart: uPlot on a canvas, one y scale per unit (the first two with an axis, left and right, their units
// named above them by the page), time on x.
// Dragging across selects a span to zoom into, a double click resets; the caller owns the x range (live follow,
// zoom), so the chart only draws what it is given. Each redraw is timed (data-draw-ms, and a performance measure).
import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { cssToken, theme } from "../../app/theme.ts";
import { formatDate, formatFixed, formatTime } from "../../components/format.ts";

export interface ChartSeries {
  label: string;
  unit: string | undefined;
  /** A colour token of tokens.css. */
  color: string;
  /** A dash pattern: series past the fourth reuse the colours, dashed. */
  dash?: number[];
  /** The sampling interval when known (ms): a pause of several intervals breaks the line. */
  intervalMs?: number;
}

export interface TrendChartProps {
  /** Keep the same array while the series stay the same: a new one rebuilds the chart. */
  series: readonly ChartSeries[];
  data: uPlot.AlignedData;
  /** Changes when `data` changed. */
  dataVersion: number;
  /** The x span to show (ms). */
  xRange: readonly [number, number];
  onZoom: (range: [number, number]) => void;
  onReset: () => void;
  /** The data index under the cursor, null when it leaves. */
  onCursor: (index: number | null) => void;
}

/** Zoom spans narrower than this many pixels are clicks, not drags. */
const MIN_DRAG_PX = 8;

function scaleKey(unit: string | undefined): string {
  return unit === undefined || unit === "" ? "value" : `unit:${unit}`;
}

function decimalsOf(increment: number): number {
  if (!Number.isFinite(increment) || increment >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(increment)));
}

/** Time ticks in 24-hour local time, with the date under the first tick and under each midnight. */
const timeValues: uPlot.Axis.DynamicValues = (_chart, splits, _axis, _space, increment) => {
  let lastDate = "";
  return splits.map((value) => {
    const date = formatDate(value);
    const time = increment >= 86_400_000 ? "" : formatTime(value).slice(0, increment < 60_000 ? 8 : 5);
    const withDate = date !== lastDate;
    lastDate = date;
    if (time === "") return date.slice(5);
    return withDate ? `${time}\n${date}` : time;
  });
};

/**
 * Breaks the line where samples paused (the connector was stopped, the machine was away): a step between two points
 * longer than several sampling intervals, or than five times the mean step of the points shown, is left empty rather
 * than drawn as a slope across the pause.
 */
function timeGaps(intervalMs: number | undefined): uPlot.Series.GapsRefiner {
  return (chart, seriesIndex, first, last, gaps) => {
    const xs = chart.data[0]!;
    const ys = chart.data[seriesIndex]!;
    let count = 0;
    let firstX: number | undefined;
    let lastX = 0;
    for (let i = first; i <= last; i++) {
      if (ys[i] === undefined || ys[i] === null) continue;
      firstX ??= xs[i]!;
      lastX = xs[i]!;
      count++;
    }
    if (firstX === undefined || count < 2) return gaps;
    const limit = Math.max(((lastX - firstX) / count) * 5, (intervalMs ?? 0) * 5, 5000);
    let previous: number | undefined;
    const added: uPlot.Series.Gaps = [];
    for (let i = first; i <= last; i++) {
      if (ys[i] === undefined || ys[i] === null) continue;
      const x = xs[i]!;
      if (previous !== undefined && x - previous > limit) {
        added.push([Math.round(chart.valToPos(previous, "x", true)) + 1, Math.round(chart.valToPos(x, "x", true))]);
      }
      previous = x;
    }
    if (added.length === 0) return gaps;
    return [...gaps, ...added].sort((a, b) => a[0] - b[0]);
  };
}

function buildOptions(props: TrendChartProps, width: number, height: number, handlers: Handlers): uPlot.Options {
  const text = cssToken("--text-muted");
  const grid = cssToken("--chart-grid");
  const font = `11px ${cssToken("--font")}`;
  const units: (string | undefined)[] = [];
  for (const series of props.series) if (!units.includes(series.unit)) units.push(series.unit);
  const scales: uPlot.Scales = { x: { time: true } };
  for (const unit of units) scales[scaleKey(unit)] = { auto: true };
  const axisValues: uPlot.Axis.DynamicValues = (_chart, splits, _axis, _space, increment) =>
    splits.map((value) => formatFixed(value, decimalsOf(increment)));
  const axes: uPlot.Axis[] = [
    {
      stroke: text,
      font,
      values: timeValues,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1, size: 4 },
    },
    ...units.map(
      (unit, index): uPlot.Axis => ({
        scale: scaleKey(unit),
        show: index < 2,
        side: index === 0 ? 3 : 1,
        stroke: text,
        font,
        size: 56,
        values: axisValues,
        grid: { show: index === 0, stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1, size: 4 },
      }),
    ),
  ];
  return {
    width,
    height,
    ms: 1,
    pxAlign: true,
    scales,
    axes,
    legend: { show: false },
    padding: [12, 8, 0, 4],
    series: [
      {},
      ...props.series.map(
        (series): uPlot.Series => ({
          label: series.label,
          scale: scaleKey(series.unit),
          stroke: cssToken(series.color),
          width: 1.5,
          dash: series.dash,
          spanGaps: false,
          gaps: timeGaps(series.intervalMs),
          points: { show: false },
        }),
      ),
    ],
    cursor: {
      drag: { x: true, y: false, setScale: false },
      points: { size: 6 },
      bind: {
        dblclick: () => () => {
          handlers.reset();
          return null;
        },
      },
    },
    hooks: {
      setSelect: [
        (chart) => {
          const { left, width: span } = chart.select;
          if (span >= MIN_DRAG_PX) handlers.zoom([chart.posToVal(left, "x"), chart.posToVal(left + span, "x")]);
          chart.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
      setCursor: [(chart) => handlers.cursor(chart.cursor.idx ?? null)],
    },
  };
}

interface Handlers {
  zoom: (range: [number, number]) => void;
  reset: () => void;
  cursor: (index: number | null) => void;
}

function draw(chart: uPlot, props: TrendChartProps, host: HTMLElement): void {
  const start = performance.now();
  chart.batch(() => {
    chart.setData(props.data, true);
    chart.setScale("x", { min: props.xRange[0], max: props.xRange[1] });
  });
  const took = performance.now() - start;
  host.dataset.drawMs = took.toFixed(2);
  performance.measure("fabrik-trends-draw", { start, duration: took });
}

export function TrendChart(props: TrendChartProps): JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const handlers = useRef<Handlers>({
    zoom: (range) => latest.current.onZoom(range),
    reset: () => latest.current.onReset(),
    cursor: (index) => latest.current.onCursor(index),
  });

  // Rebuilt when the series change and when the theme changes (colours are baked into the canvas).
  const currentTheme = theme.value;
  useLayoutEffect(() => {
    const element = host.current;
    if (element === null) return;
    chart.current?.destroy();
    const options = buildOptions(latest.current, element.clientWidth, element.clientHeight, handlers.current);
    chart.current = new uPlot(options, undefined, element);
    draw(chart.current, latest.current, element);
  }, [props.series, currentTheme]);

  useLayoutEffect(() => {
    const element = host.current;
    if (chart.current !== null && element !== null) draw(chart.current, props, element);
  }, [props.dataVersion, props.xRange[0], props.xRange[1]]);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const observer = new ResizeObserver(() => {
      const size = { width: element.clientWidth, height: element.clientHeight };
      if (size.width > 0 && size.height > 0) chart.current?.setSize(size);
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);

  return <div ref={host} class="trend-chart" data-testid="trend-chart" />;
}

// A small trend line on a canvas, for a value's last minutes beside it. Cheap enough for hundreds on a page: it draws
// only when its data version changes and only while it is on screen, in the theme's colours, sharp on HiDPI screens.
import { useSignalEffect } from "@preact/signals";
import type { JSX } from "preact";
import { useEffect, useLayoutEffect, useRef } from "preact/hooks";
import { cssToken, theme } from "../app/theme.ts";

export interface SparklineProps {
  /** The values, oldest first; NaN leaves a gap. */
  values: ArrayLike<number>;
  /** The time of each value (ms); without it the values are spaced evenly. */
  times?: ArrayLike<number>;
  /** Changes whenever the values changed (the arrays may be reused): the sparkline redraws only then. */
  version: number;
  /** The span shown, ending at the last point (ms); default: the first to the last point. */
  windowMs?: number;
  width?: number;
  height?: number;
  /** A colour token of tokens.css (default --chart-1). */
  color?: string;
  /** Accessible description, e.g. "pressure, last 2 minutes". */
  label?: string;
}

interface Drawable {
  visible: boolean;
  dirty: boolean;
  draw: () => void;
}

// One observer for every sparkline: they draw only while on screen, and catch up when they come into view.
const drawables = new WeakMap<Element, Drawable>();
const visibility = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    const drawable = drawables.get(entry.target);
    if (drawable === undefined) continue;
    drawable.visible = entry.isIntersecting;
    if (drawable.visible && drawable.dirty) drawable.draw();
  }
});

function paint(canvas: HTMLCanvasElement, props: SparklineProps, width: number, height: number): void {
  const ratio = window.devicePixelRatio || 1;
  const pixelWidth = Math.round(width * ratio);
  const pixelHeight = Math.round(height * ratio);
  if (canvas.width !== pixelWidth || canvas.height !== pixelHeight) {
    canvas.width = pixelWidth;
    canvas.height = pixelHeight;
  }
  const context = canvas.getContext("2d");
  if (context === null) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const { values, times } = props;
  const count = values.length;
  if (count === 0) return;

  const lastTime = times === undefined ? count - 1 : times[count - 1]!;
  // With a window, every sparkline spans the same time (ending at its last point), so that their shapes compare.
  const firstTime = times === undefined ? 0 : props.windowMs === undefined ? times[0]! : lastTime - props.windowMs;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    if (Number.isNaN(value) || (times !== undefined && times[i]! < firstTime)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min === Number.POSITIVE_INFINITY) return;
  const pad = 2;
  const span = max - min;
  const timeSpan = Math.max(lastTime - firstTime, 1);
  const x = (i: number) => (((times === undefined ? i : times[i]!) - firstTime) / timeSpan) * (width - 2 * pad) + pad;
  // A flat line sits in the middle rather than on an edge.
  const y = (value: number) => (span === 0 ? height / 2 : height - pad - ((value - min) / span) * (height - 2 * pad));

  const color = cssToken(props.color ?? "--chart-1");
  context.lineWidth = 1.25;
  context.lineJoin = "round";
  context.strokeStyle = color;
  context.beginPath();
  let drawing = false;
  let lastX = 0;
  let lastY = 0;
  for (let i = 0; i < count; i++) {
    const value = values[i]!;
    const pointTime = times === undefined ? i : times[i]!;
    if (Number.isNaN(value) || pointTime < firstTime) {
      drawing = false;
      continue;
    }
    lastX = x(i);
    lastY = y(value);
    if (drawing) context.lineTo(lastX, lastY);
    else context.moveTo(lastX, lastY);
    drawing = true;
  }
  context.stroke();
  if (!Number.isNaN(values[count - 1]!)) {
    context.fillStyle = color;
    context.beginPath();
    context.arc(lastX, lastY, 1.75, 0, Math.PI * 2);
    context.fill();
  }
}

export function Sparkline(props: SparklineProps): JSX.Element {
  const width = props.width ?? 120;
  const height = props.height ?? 24;
  const canvas = useRef<HTMLCanvasElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const drawable = useRef<Drawable>({
    visible: false,
    dirty: true,
    draw: () => {
      const element = canvas.current;
      if (element === null) return;
      drawable.current.dirty = false;
      paint(element, latest.current, latest.current.width ?? 120, latest.current.height ?? 24);
    },
  });

  useEffect(() => {
    const element = canvas.current;
    if (element === null) return;
    drawables.set(element, drawable.current);
    visibility.observe(element);
    return () => {
      visibility.unobserve(element);
      drawables.delete(element);
    };
  }, []);

  useLayoutEffect(() => {
    if (drawable.current.visible) drawable.current.draw();
    else drawable.current.dirty = true;
  }, [props.version, props.values, width, height, props.color, props.windowMs]);

  useSignalEffect(() => {
    void theme.value;
    if (drawable.current.visible) drawable.current.draw();
    else drawable.current.dirty = true;
  });

  return (
    <canvas
      ref={canvas}
      class="sparkline"
      style={{ width: `${width}px`, height: `${height}px` }}
      role={props.label === undefined ? undefined : "img"}
      aria-label={props.label}
      aria-hidden={props.label === undefined ? "true" : undefined}
    />
  );
}

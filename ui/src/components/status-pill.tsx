// A state at a glance: an icon and a word on a tinted pill, so that a state is never told by colour alone. Knows the
// states of the live feed, of sources, connectors, tasks, queries and tag quality (stateLook()); other words take a
// tone given by the caller.
import type { ComponentChildren, JSX } from "preact";
import { Icon, type IconName } from "./icon.tsx";

export type Tone = "good" | "warn" | "bad" | "info" | "neutral";

export interface StateLook {
  tone: Tone;
  icon: IconName;
}

const TONE_ICON: Record<Tone, IconName> = { good: "good", warn: "warn", bad: "bad", info: "info", neutral: "neutral" };

const LOOKS: Record<string, StateLook> = {
  // sources (the live feed's health), connectors and tasks (Connect's REST), the live feed itself
  connected: { tone: "good", icon: "good" },
  running: { tone: "good", icon: "good" },
  live: { tone: "good", icon: "good" },
  connecting: { tone: "info", icon: "pending" },
  reconnecting: { tone: "warn", icon: "pending" },
  restarting: { tone: "info", icon: "pending" },
  rebalancing: { tone: "info", icon: "pending" },
  degraded: { tone: "warn", icon: "warn" },
  disconnected: { tone: "bad", icon: "bad" },
  failed: { tone: "bad", icon: "bad" },
  error: { tone: "bad", icon: "bad" },
  offline: { tone: "bad", icon: "bad" },
  paused: { tone: "neutral", icon: "paused" },
  unassigned: { tone: "neutral", icon: "neutral" },
  stopped: { tone: "neutral", icon: "neutral" },
  // tag quality
  good: { tone: "good", icon: "good" },
  uncertain: { tone: "warn", icon: "warn" },
  bad: { tone: "bad", icon: "bad" },
  // queries (ksqlDB's states)
  pending_shutdown: { tone: "neutral", icon: "pending" },
  not_running: { tone: "neutral", icon: "neutral" },
  terminated: { tone: "neutral", icon: "neutral" },
};

/** The tone and icon of a known state word (any case); unknown words are neutral. */
export function stateLook(state: string): StateLook {
  return LOOKS[state.toLowerCase()] ?? { tone: "neutral", icon: "neutral" };
}

export interface StatusPillProps {
  /** A state word: its look comes from stateLook() unless tone is given. Shown as written unless label is given. */
  state: string;
  label?: string;
  tone?: Tone;
  icon?: IconName;
  /** Hover text: the details (an error code and message, since when). */
  title?: string;
  /** Only the icon, with the label for screen readers and on hover: for dense tables. */
  compact?: boolean;
  testId?: string;
}

export function StatusPill(props: StatusPillProps): JSX.Element {
  const known = stateLook(props.state);
  const tone = props.tone ?? known.tone;
  const icon = props.icon ?? (props.tone === undefined ? known.icon : TONE_ICON[tone]);
  const label = props.label ?? props.state;
  const title = props.title ?? label;
  return (
    <span
      class={props.compact === true ? `pill pill-${tone} pill-compact` : `pill pill-${tone}`}
      title={title}
      data-state={props.state}
      data-testid={props.testId}
    >
      <Icon name={icon} size={12} label={props.compact === true ? label : undefined} />
      {props.compact === true ? null : <span class="pill-label">{label}</span>}
    </span>
  );
}

export interface BadgeProps {
  children: ComponentChildren;
  tone?: Tone;
  title?: string;
  /** Monospaced: for codes, addresses, ids. */
  mono?: boolean;
}

/** A quiet label for a kind or category (a protocol, a type, a unit), not a state. */
export function Badge({ children, tone = "neutral", title, mono = false }: BadgeProps): JSX.Element {
  return (
    <span class={mono ? `badge badge-${tone} mono` : `badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

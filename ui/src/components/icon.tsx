// The UI's icons: small line drawings on a 16×16 grid in the text colour, so that states are never told by colour
// alone and the nav reads at a glance. Decorative unless given a label.
import type { JSX } from "preact";

const PATHS = {
  good: "M3.5 8.5l3 3 6-7",
  warn: "M8 2L15 14H1z M8 6.5v3.5 M8 12v.5",
  bad: "M5.2 1.5h5.6l3.7 3.7v5.6l-3.7 3.7H5.2l-3.7-3.7V5.2z M5.5 5.5l5 5 M10.5 5.5l-5 5",
  info: "M8 1.5a6.5 6.5 0 1 1 0 13a6.5 6.5 0 1 1 0-13z M8 7v4.5 M8 4.5v.5",
  neutral: "M8 3a5 5 0 1 1 0 10a5 5 0 1 1 0-10z",
  pending: "M8 1.5a6.5 6.5 0 1 1-6.5 6.5 M8 4.5V8l2.5 1.5",
  paused: "M5.5 3.5v9 M10.5 3.5v9",
  overview: "M2 2h5v5H2z M9 2h5v5H9z M2 9h5v5H2z M9 9h5v5H9z",
  trends: "M1.5 13.5h13 M2 11l3.5-4 3 2.5L14 3",
  alerts: "M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11z M6.5 14h3",
  sql: "M2 3h12v10H2z M4.5 6.5l2 1.5-2 1.5 M8 10h3.5",
  connectors: "M6 1.5v3 M10 1.5v3 M4 4.5h8v3a4 4 0 0 1-8 0z M8 11.5v3",
  topics: "M2 3.5h12 M2 8h12 M2 12.5h12 M4.5 2v3 M8.5 6.5v3 M6 11v3",
  sun: "M8 5a3 3 0 1 1 0 6a3 3 0 1 1 0-6z M8 1v1.5 M8 13.5V15 M1 8h1.5 M13.5 8H15 M3 3l1 1 M12 12l1 1 M3 13l1-1 M12 4l1-1",
  moon: "M13.5 10A6 6 0 0 1 6 2.5a6 6 0 1 0 7.5 7.5z",
  search: "M7 2a5 5 0 1 1 0 10a5 5 0 1 1 0-10z M10.5 10.5L14 14",
  close: "M4 4l8 8 M12 4l-8 8",
  play: "M4.5 2.5l9 5.5-9 5.5z",
  pause: "M5 3v10 M11 3v10",
  refresh: "M13.5 8A5.5 5.5 0 1 1 11.5 3.8 M12 1.5v3h-3",
  chevronDown: "M4 6l4 4 4-4",
  chevronRight: "M6 4l4 4-4 4",
  sortAsc: "M8 3l4 5H4z",
  sortDesc: "M8 13l4-5H4z",
  plus: "M8 3v10 M3 8h10",
  logout: "M6 2.5H3v11h3 M10 5l3 3-3 3 M13 8H6",
  database:
    "M2.5 3.5c0-1.1 2.5-2 5.5-2s5.5.9 5.5 2v9c0 1.1-2.5 2-5.5 2s-5.5-.9-5.5-2z M2.5 3.5c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2 M2.5 8c0 1.1 2.5 2 5.5 2s5.5-.9 5.5-2",
  zoomReset: "M7 2a5 5 0 1 1 0 10a5 5 0 1 1 0-10z M10.5 10.5L14 14 M5 7h4",
} as const;

export type IconName = keyof typeof PATHS;

export interface IconProps {
  name: IconName;
  /** Pixel size (default 16). */
  size?: number;
  /** Read out by screen readers; without it the icon is decorative. */
  label?: string;
  class?: string;
}

export function Icon({ name, size = 16, label, class: className }: IconProps): JSX.Element {
  const filled = name === "play" || name === "sortAsc" || name === "sortDesc";
  return (
    <svg
      class={className === undefined ? "icon" : `icon ${className}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill={filled ? "currentColor" : "none"}
      stroke="currentColor"
      stroke-width="1.6"
      stroke-linecap="round"
      stroke-linejoin="round"
      role={label === undefined ? undefined : "img"}
      aria-label={label}
      aria-hidden={label === undefined ? "true" : undefined}
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

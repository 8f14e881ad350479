// Names for coded values, read from a tag's description when it lists them ("Machine state: 0 IDLE, 1 RUNNING,
// 2 SETUP, 3 FAULT"), so that a state word shows as RUNNING rather than 1.

export type EnumLabels = ReadonlyMap<number, string>;

const PAIR = /(-?\d+)\s+([A-Z][A-Z0-9_]*)\b/g;

/** The code → name pairs of a description that lists at least two after a colon; undefined otherwise. */
export function enumLabels(description: string | undefined): EnumLabels | undefined {
  if (description === undefined) return undefined;
  const colon = description.indexOf(":");
  if (colon < 0) return undefined;
  const labels = new Map<number, string>();
  for (const match of description.slice(colon + 1).matchAll(PAIR)) labels.set(Number(match[1]), match[2]!);
  return labels.size >= 2 ? labels : undefined;
}

export type MachineStateTone = "good" | "warn" | "bad" | "info" | "neutral";

/** How a machine state word looks: running is good, a fault bad, setup in progress, idle and the rest neutral. */
export function machineStateTone(name: string): MachineStateTone {
  switch (name) {
    case "RUNNING":
      return "good";
    case "FAULT":
    case "ERROR":
    case "ALARM":
      return "bad";
    case "SETUP":
    case "STARTING":
      return "info";
    case "BLOCKED":
    case "STARVED":
      return "warn";
    default:
      return "neutral";
  }
}

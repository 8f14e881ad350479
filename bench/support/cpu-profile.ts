// V8 CPU profiles of a measured process: recorded from inside it (a .cpuprofile, as `node --cpu-prof` writes them), and
// read into where the time went: self and total time per function, and self time per area of the code (a Fabrik
// folder, a package, Node), as tables.
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { resolve } from "node:path";
import { round, type Table } from "./benchmark.ts";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples?: readonly number[];
  /** µs since the previous sample. */
  readonly timeDeltas?: readonly number[];
}

export interface ProfileEntry {
  /** `function (file:line)`, or an area's name. */
  readonly name: string;
  /** CPU ms per second of the profile: 1000 is one core busy the whole time. */
  readonly selfMsPerSecond: number;
  /** Including the functions it called; absent for areas. */
  readonly totalMsPerSecond?: number;
}

export interface ProfileSummary {
  readonly seconds: number;
  /** Main-thread time that was not idle, ms per second (worker threads and the kernel are not in the profile). */
  readonly busyMsPerSecond: number;
  readonly functions: readonly ProfileEntry[];
  readonly areas: readonly ProfileEntry[];
}

/** Starts V8's sampling profiler in this process; the returned function stops it and writes the profile to `file`. */
export async function startCpuProfile(file: string): Promise<() => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    await writeFile(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/**
 * Where a profile's main-thread time went, as two tables: the top functions, and every area. `busyNote` ends the note
 * "Main thread busy N ms per second (1,000 = one core)" with what the profile covered.
 */
export function cpuProfileTables(
  profile: CpuProfile,
  titles: { readonly functions: string; readonly areas: string },
  busyNote: string,
): Table[] {
  const summary = summarizeProfile(profile, resolve("."));
  const ms = (n: number | undefined) => round(n, 1);
  return [
    {
      title: titles.functions,
      columns: ["function (file:line)", "self ms/s", "total ms/s"],
      rows: summary.functions.map((f) => [f.name, ms(f.selfMsPerSecond), ms(f.totalMsPerSecond)]),
      notes: [`Main thread busy ${ms(summary.busyMsPerSecond)} ms per second (1,000 = one core)${busyNote}`],
    },
    {
      title: titles.areas,
      columns: ["area", "self ms/s"],
      rows: summary.areas.map((a) => [a.name, ms(a.selfMsPerSecond)]),
    },
  ];
}

/** V8's pseudo-frames for time outside JavaScript: shown under their own names. */
const IDLE = "(idle)";

/**
 * The `top` functions by self time and every area, in ms per second of profile. `root` is the directory whose files
 * are named relative to it (the repository).
 */
function summarizeProfile(profile: CpuProfile, root: string, top = 15): ProfileSummary {
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const areas = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let busy = 0;
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the delta to the next one, as Chrome's profiler attributes it.
    const micros = deltas[i + 1] ?? 0;
    const node = byId.get(samples[i]!);
    if (node === undefined) continue;
    const key = frameName(node.callFrame, root);
    if (key === IDLE) continue;
    busy += micros;
    self.set(key, (self.get(key) ?? 0) + micros);
    const area = areaOf(node.callFrame, root);
    areas.set(area, (areas.get(area) ?? 0) + micros);
    // Each function once per stack, however often it recurses.
    const onStack = new Set<string>();
    for (let at: ProfileNode | undefined = node; at !== undefined; at = byId.get(parent.get(at.id) ?? -1)) {
      onStack.add(frameName(at.callFrame, root));
    }
    for (const name of onStack) total.set(name, (total.get(name) ?? 0) + micros);
  }
  const perSecond = (micros: number) => micros / 1000 / seconds;
  const functions = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, micros]) => ({
      name,
      selfMsPerSecond: perSecond(micros),
      totalMsPerSecond: perSecond(total.get(name) ?? micros),
    }));
  const areaEntries = [...areas.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name, micros]) => ({ name, selfMsPerSecond: perSecond(micros) }));
  return { seconds, busyMsPerSecond: perSecond(busy), functions, areas: areaEntries };
}

/** A function as people look for it: its name, and its file (relative to `root`) and line. */
function frameName(frame: CallFrame, root: string): string {
  const file = relativeFile(frame.url, root);
  if (file === "") return frame.functionName === "" ? "(anonymous)" : frame.functionName;
  return `${frame.functionName === "" ? "(anonymous)" : frame.functionName} (${file}:${frame.lineNumber + 1})`;
}

function relativeFile(url: string, root: string): string {
  const path = url.startsWith("file://") ? decodeURIComponent(url.slice("file://".length)) : url;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}

/**
 * Fabrik code by its folder two levels down (`src/connect/buffer`), packages by name, Node's own modules as
 * `node:internal`, and V8's pseudo-frames (garbage collector, program) as they are.
 */
function areaOf(frame: CallFrame, root: string): string {
  const file = relativeFile(frame.url, root);
  if (file === "") return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (packageMatch) return packageMatch[1]!;
  if (file.startsWith("node:")) return "node:internal";
  const parts = file.split("/");
  if (parts[0] === "src" || parts[0] === "bench") return parts.slice(0, Math.min(3, parts.length - 1)).join("/");
  return file;
}

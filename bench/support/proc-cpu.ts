// CPU time of other processes (the broker, the simulator) and of the whole machine, read from Linux's /proc, so a
// benchmark can show who else was busy on the cores it shares.
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc's counters: 100 on every Linux build Fabrik runs on (`getconf CLK_TCK`). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) process `pid` has used so far; undefined without /proc or once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / TICKS_PER_SECOND;
}

/** The machine's busy CPU seconds so far (everything but idle and iowait), all cores together. */
export function machineBusyCpuSeconds(): number | undefined {
  let line: string | undefined;
  try {
    line = readFileSync("/proc/stat", "utf8").split("\n")[0];
  } catch {
    return undefined;
  }
  if (line === undefined || !line.startsWith("cpu ")) return undefined;
  // user nice system idle iowait irq softirq steal (guest time is already inside user).
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((sum, t) => sum + t, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / TICKS_PER_SECOND;
}

/** CPU seconds so far of what shares the cores with a measured process, read at both ends of its window. */
export interface SharedCpuMark {
  /** The broker, when its pid is known (a broker the benchmark started). */
  readonly broker: number | undefined;
  /** The whole machine's busy time. */
  readonly machine: number | undefined;
  /** The benchmark's own process (it polls and reads while the window runs). */
  readonly self: number;
}

export function sharedCpuMark(brokerPid: number | undefined): SharedCpuMark {
  const self = process.cpuUsage();
  return {
    broker: brokerPid === undefined ? undefined : processCpuSeconds(brokerPid),
    machine: machineBusyCpuSeconds(),
    self: (self.user + self.system) / 1e6,
  };
}

/** Cores used between two readings of CPU seconds taken `seconds` apart; undefined when either reading is. */
export function coresBetween(start: number | undefined, end: number | undefined, seconds: number): number | undefined {
  return start === undefined || end === undefined ? undefined : (end - start) / seconds;
}

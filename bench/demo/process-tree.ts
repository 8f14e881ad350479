// CPU of whole process trees read from Linux's /proc — Chromium is a browser process with renderer, GPU and utility
// children, `fabrik demo` a process of its own — so bench/demo can say what the browser cost and who else was busy.
import { readdirSync, readFileSync } from "node:fs";
import { processCpuSeconds } from "../support/proc-cpu.ts";

/** Parent pid of every process now running, read from /proc/<pid>/stat. */
function parents(): Map<number, number> {
  const byPid = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return byPid;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name (field 2) may hold spaces and parentheses: the parent pid is the 2nd field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (Number.isInteger(ppid)) byPid.set(Number(entry), ppid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return byPid;
}

/** `root` and every process below it, now. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const tree: number[] = [];
  const pending = [root];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    tree.push(pid);
    pending.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU seconds the processes of `root`'s tree have used so far (those still running); undefined without /proc. */
export function treeCpuSeconds(root: number): number | undefined {
  let total: number | undefined;
  for (const pid of processTree(root)) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== undefined) total = (total ?? 0) + seconds;
  }
  return total;
}

/** A child of this process whose command line contains `word` (Chromium's browser process); undefined if none. */
export function childProcess(word: string): number | undefined {
  for (const [pid, ppid] of parents()) {
    if (ppid !== process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(word)) return pid;
    } catch {
      // Gone meanwhile.
    }
  }
  return undefined;
}

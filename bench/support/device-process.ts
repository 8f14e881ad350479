// A benchmark's simulated device in a process of its own, from the parent's side: forked, ready once it sends its first
// message, asked for its counters with "stats", stopped by disconnecting (the child closes its servers and exits).
import { fork } from "node:child_process";
import { once } from "node:events";

export interface DeviceProcess<Ready, Stats> {
  /** The child's first message (the ports it listens on). */
  readonly ready: Ready;
  stats(): Promise<Stats>;
  stop(): Promise<void>;
}

/** Forks `module` with `args` and resolves once it has said it is ready. */
export async function startDeviceProcess<Ready, Stats>(
  module: URL,
  args: readonly string[],
): Promise<DeviceProcess<Ready, Stats>> {
  const child = fork(module, args, { stdio: "inherit" });
  const [ready] = (await once(child, "message")) as [Ready];
  return {
    ready,
    stats: async () => {
      child.send("stats");
      const [stats] = (await once(child, "message")) as [Stats];
      return stats;
    },
    stop: async () => {
      const exited = once(child, "exit");
      child.disconnect();
      await exited;
    },
  };
}

// Runs the broker's JVM and stops it: attached under a watchdog so it never outlives Node, or detached.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

// The watchdog runs the JVM in the background and kills it when its standard input closes, i.e. when the Node
// process that started it stops for whatever reason, and exits with the JVM's status when the JVM ends by itself.
// Ctrl-C reaches the whole process group: the watchdog ignores it (Node decides how to stop), and forwards TERM.
const WATCHDOG = `
trap '' INT HUP QUIT
"$@" &
jvm=$!
echo "$jvm" > "$FABRIK_BROKER_PID_FILE"
trap 'kill -TERM "$jvm" 2>/dev/null' TERM
exec 3<&0
( read -r _ <&3; kill -TERM "$jvm" 2>/dev/null ) &
reader=$!
while :; do
  wait "$jvm"
  status=$?
  kill -0 "$jvm" 2>/dev/null || break
done
kill "$reader" 2>/dev/null
exit "$status"
`;

export interface Launched {
  readonly exited: Promise<number | null>;
  pid(): number | undefined;
  stop(timeoutMs: number): Promise<void>;
  kill(): void;
}

export function launch(
  java: string,
  args: string[],
  o: { detached: boolean; logFile: string; pidFile: string; env: NodeJS.ProcessEnv },
): Launched {
  const log = openSync(o.logFile, "a");
  let child: ChildProcess;
  try {
    child = o.detached
      ? spawn(java, args, { detached: true, stdio: ["ignore", log, log], env: o.env })
      : spawn("sh", ["-c", WATCHDOG, "fabrik-kafka", java, ...args], {
          stdio: ["pipe", log, log],
          env: { ...o.env, FABRIK_BROKER_PID_FILE: o.pidFile },
        });
  } finally {
    closeSync(log);
  }
  if (o.detached) child.unref();
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : null)));
    child.once("error", () => resolve(127));
  });
  const pid = () => {
    if (o.detached) return child.pid;
    const text = existsSync(o.pidFile) ? readFileSync(o.pidFile, "utf8").trim() : "";
    return text ? Number(text) : undefined;
  };
  const kill = () => {
    const jvm = pid();
    if (jvm) signalProcess(jvm, "SIGKILL");
    child.kill("SIGKILL");
  };
  return {
    exited,
    pid,
    kill,
    stop: async (timeoutMs) => {
      if (child.exitCode !== null) return;
      if (o.detached) {
        const jvm = child.pid;
        if (jvm) await stopProcess(jvm, timeoutMs);
        return;
      }
      const jvm = pid();
      child.stdin?.end();
      if (!(await settlesWithin(exited, timeoutMs))) {
        kill();
        await exited;
      }
      // The watchdog may be gone before the JVM (a signal to the whole group): stopped means the JVM is gone.
      if (jvm) await stopProcess(jvm, timeoutMs);
    },
  };
}

/** True when `promise` settles within `ms`; the timer is cleared either way so it never holds the process open. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function stopProcess(pid: number, timeoutMs: number): Promise<void> {
  signalProcess(pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (isProcessRunning(pid)) {
    if (Date.now() > deadline) {
      signalProcess(pid, "SIGKILL");
      break;
    }
    await delay(100);
  }
  while (isProcessRunning(pid)) await delay(50);
}

export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

export function isKafkaProcess(pid: number): boolean {
  if (!isProcessRunning(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("kafka.Kafka");
  } catch {
    // No /proc (macOS): trust the pid file.
    return true;
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

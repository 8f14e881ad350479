// Builds a connection manager on hand-driven time and a scripted device, recording every health event.
import type { HealthEvent } from "../../src/plc/health.ts";
import { ConnectionManager, type ConnectionManagerOptions } from "../../src/plc/manager.ts";
import { DriverRegistry } from "../../src/plc/registry.ts";
import { SeededRandom } from "../../src/plc/simulated/random.ts";
import { FakeDevice } from "./manager-fake-device.ts";
import { ManualTime } from "./manager-time.ts";

/** Small numbers so tests read easily: delays of attempt n are at most 100·2^n ms, capped at 1600 ms. */
export const TEST_BACKOFF = { baseMs: 100, factor: 2, capMs: 1600 } as const;
export const TEST_DEADLINE_MS = 1000;
export const TEST_SEED = 7;

export function setUp(options: Partial<ConnectionManagerOptions> = {}, device = new FakeDevice()) {
  const time = new ManualTime();
  const random = new SeededRandom(TEST_SEED);
  const events: HealthEvent[] = [];
  const manager = new ConnectionManager({
    registry: new DriverRegistry([device.driver]),
    clock: time.clock,
    schedule: time.schedule,
    random: () => random.float(),
    backoff: TEST_BACKOFF,
    callDeadlineMs: TEST_DEADLINE_MS,
    ...options,
  });
  manager.onHealth((event) => events.push(event));
  /** The transitions so far as `from>to` strings, then forgets them so each step of a test checks its own. */
  const transitions = () => events.splice(0).map((event) => `${event.from}>${event.to}`);
  return { time, device, manager, events, transitions };
}

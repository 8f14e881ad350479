// A rig for driving machines alone through simulated time, with a calendar and hall temperature the test chooses.
import { AlarmBus, type AlarmEvent } from "../../../src/sim/model/alarms.ts";
import { type CalendarConfig, ShiftCalendar } from "../../../src/sim/model/calendar.ts";
import { createTickContext, type Machine, type MachineDeps, type TickContext } from "../../../src/sim/model/machine.ts";
import { Random } from "../../../src/sim/model/random.ts";

/** One shift from midnight to midnight on every day, no breaks: production all day, a changeover at 00:00. */
export const ALWAYS_ON: CalendarConfig = {
  shifts: [{ name: "DAY", startMinute: 0, minutes: 1440, breaks: [] }],
  workdays: [0, 1, 2, 3, 4, 5, 6],
  utcOffsetMinutes: 0,
};

/** No shifts at all: every machine that follows the calendar stays IDLE (PLANNED). */
export const ALWAYS_OFF: CalendarConfig = { shifts: [], workdays: [], utcOffsetMinutes: 0 };

/** Monday 8 January 2024, 00:30 UTC: half an hour into the ALWAYS_ON day, far from its changeover. */
export const MONDAY_0030 = Date.UTC(2024, 0, 8, 0, 30);

export const MINUTE_TICKS = 600;
export const HOUR_TICKS = 36_000;

export interface RigOptions {
  readonly start?: number;
  readonly tickMs?: number;
  readonly calendar?: CalendarConfig;
  readonly ambientC?: number;
  readonly seed?: number;
}

export class TestRig {
  readonly context: TickContext;
  readonly alarms = new AlarmBus();
  readonly events: AlarmEvent[] = [];
  calendar: ShiftCalendar;
  private readonly seed: number;

  constructor(options: RigOptions = {}) {
    this.calendar = new ShiftCalendar(options.calendar ?? ALWAYS_ON);
    const start = options.start ?? MONDAY_0030;
    this.seed = options.seed ?? 1;
    this.context = createTickContext(
      start,
      options.tickMs ?? 100,
      this.calendar.periodAt(start),
      options.ambientC ?? 20,
    );
    this.alarms.subscribe((event) => this.events.push(event));
  }

  deps(stream: string): MachineDeps {
    return { rng: new Random(this.seed, stream), alarms: this.alarms, context: this.context };
  }

  /** Switches the calendar from the next tick on (e.g. to ALWAYS_OFF to send the machines home). */
  useCalendar(config: CalendarConfig): void {
    this.calendar = new ShiftCalendar(config);
  }

  /** Steps the machines in order for `ticks` ticks, calling `each` after every tick. */
  run(machines: readonly Machine[], ticks: number, each?: () => void): void {
    const context = this.context;
    for (let n = 0; n < ticks; n++) {
      context.now += context.tickMs;
      context.period = this.calendar.periodAt(context.now);
      for (const machine of machines) machine.step(context);
      this.alarms.flush();
      each?.();
    }
  }

  /** Events of one alarm id so far. */
  eventsOf(id: string): AlarmEvent[] {
    return this.events.filter((e) => e.alarm.id === id);
  }
}

// Alarms as events: each alarm raises and clears with hysteresis, and the plant delivers the events after each tick.

export interface AlarmInfo {
  /** `<machine>.<NAME>`, e.g. "R1.JOINT3_TEMPERATURE_HIGH"; unique in the plant. */
  readonly id: string;
  readonly machine: string;
  readonly name: string;
  /** 1..1000 as OPC UA counts it: 500 a warning, 700 high, 900 a trip that stops the machine. */
  readonly severity: number;
  readonly description: string;
}

export interface AlarmEvent {
  readonly type: "RAISE" | "CLEAR";
  readonly alarm: AlarmInfo;
  /** Simulated time of the tick it happened in (ms since the epoch). */
  readonly time: number;
  /** The measurement that crossed the limit, when there is one. */
  readonly value?: number;
  /** For people: what happened, with the value and the limit. */
  readonly message: string;
}

export type AlarmListener = (event: AlarmEvent) => void;

/**
 * Collects alarm events during a tick and hands them to listeners once the tick is complete, so a listener that reads
 * the plant sees every machine in the same tick.
 */
export class AlarmBus {
  private readonly listeners = new Set<AlarmListener>();
  private readonly pending: AlarmEvent[] = [];
  private readonly raised = new Map<string, AlarmEvent>();

  subscribe(listener: AlarmListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The RAISE event of every alarm that is active now, oldest first. */
  active(): AlarmEvent[] {
    return [...this.raised.values()];
  }

  emit(event: AlarmEvent): void {
    if (event.type === "RAISE") this.raised.set(event.alarm.id, event);
    else this.raised.delete(event.alarm.id);
    this.pending.push(event);
  }

  /** Delivers the events queued since the last flush, in the order they happened. */
  flush(): void {
    if (this.pending.length === 0) return;
    const events = this.pending.splice(0);
    for (const event of events) {
      for (const listener of this.listeners) listener(event);
    }
  }
}

/** One alarm of one machine. Machines drive it with `set`, or with `above`/`below` for limits with hysteresis. */
export class Alarm {
  readonly info: AlarmInfo;
  active = false;
  private readonly bus: AlarmBus;

  constructor(bus: AlarmBus, info: AlarmInfo) {
    this.bus = bus;
    this.info = info;
  }

  /** Raises or clears on a condition; emits only on a change. */
  set(active: boolean, now: number, message: string, value?: number): void {
    if (active === this.active) return;
    this.active = active;
    const event: AlarmEvent = { type: active ? "RAISE" : "CLEAR", alarm: this.info, time: now, message };
    this.bus.emit(value === undefined ? event : { ...event, value });
  }

  /** High limit: raises at `raiseAt` or above, clears only once the value is back at `clearAt` or below. */
  above(value: number, raiseAt: number, clearAt: number, now: number, label: string, unit: string): void {
    if (!this.active && value >= raiseAt) {
      this.set(true, now, `${label} ${value.toFixed(1)} ${unit} at or above ${raiseAt} ${unit}`, value);
    } else if (this.active && value <= clearAt) {
      this.set(false, now, `${label} ${value.toFixed(1)} ${unit} back at or below ${clearAt} ${unit}`, value);
    }
  }

  /** Low limit: raises at `raiseAt` or below, clears only once the value is back at `clearAt` or above. */
  below(value: number, raiseAt: number, clearAt: number, now: number, label: string, unit: string): void {
    if (!this.active && value <= raiseAt) {
      this.set(true, now, `${label} ${value.toFixed(1)} ${unit} at or below ${raiseAt} ${unit}`, value);
    } else if (this.active && value >= clearAt) {
      this.set(false, now, `${label} ${value.toFixed(1)} ${unit} back at or above ${clearAt} ${unit}`, value);
    }
  }
}

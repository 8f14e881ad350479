// What every simulated machine has: identity, a signal table, a sequence number, a state word, alarms and fault switches.
import type { PlcValue } from "../../plc/values.ts";
import { Alarm, type AlarmBus, type AlarmInfo } from "./alarms.ts";
import type { ShiftPeriod } from "./calendar.ts";
import { UnknownFaultError } from "./errors.ts";
import type { Random } from "./random.ts";
import { type Signal, type SignalInfo, SignalTable } from "./signal.ts";
import {
  MACHINE_STATES,
  type MachineState,
  type OperatingState,
  REASON_VALUE,
  STATE_VALUE,
  STOP_REASONS,
} from "./state.ts";

/**
 * The world one tick of one machine sees. The plant owns it and changes it in place each tick (no allocation per
 * tick); machines only read it.
 */
export interface TickContext {
  /** End of the tick being computed (ms since the epoch). */
  now: number;
  readonly tickMs: number;
  readonly tickS: number;
  period: ShiftPeriod;
  /** Hall temperature (°C): what machines cool down to. */
  ambientC: number;
  /** Sum over the line's machines, this tick once they have all stepped (the energy meter steps last). */
  lineActiveKw: number;
  lineReactiveKvar: number;
  /** Compressed air the line used in the previous tick (normal litres per minute). */
  lineAirNlpm: number;
}

export interface FaultInfo {
  /** `<machine kind>.<part>`, e.g. "conveyor.bearing", as `fabrik sim --fault` takes it. */
  readonly name: string;
  readonly machine: string;
  readonly description: string;
}

/** A fault switch a machine reads in its physics. */
export interface FaultSwitch {
  readonly info: FaultInfo;
  active: boolean;
}

/** A machine described as plain data: what `fabrik sim --describe` and the faces' address maps are built from. */
export interface MachineInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly signals: readonly SignalInfo[];
  readonly alarms: readonly AlarmInfo[];
  readonly faults: readonly FaultInfo[];
}

/** What the plant gives a machine to build itself. */
export interface MachineDeps {
  /** The machine's own random stream. */
  readonly rng: Random;
  readonly alarms: AlarmBus;
  /** The context at the start time, before the first tick. */
  readonly context: TickContext;
}

export interface MachineIdentity {
  readonly id: string;
  readonly name: string;
  /** Lowercase word that prefixes the machine's fault names ("conveyor"). */
  readonly kind: string;
  readonly description: string;
}

export abstract class Machine {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly description: string;
  readonly operating: OperatingState;
  /** Increments once per tick, wrapping like the UDINT it is published as. */
  sequence = 0;
  /** Electrical draw this tick, for the energy meter. */
  activeKw = 0;
  reactiveKvar = 0;
  /** Compressed air drawn this tick (normal litres per minute). */
  airNlpm = 0;
  protected readonly table: SignalTable;
  protected readonly rng: Random;
  private readonly bus: AlarmBus;
  private readonly alarmList: Alarm[] = [];
  private readonly faultList: FaultSwitch[] = [];

  protected constructor(identity: MachineIdentity, deps: MachineDeps, operating: OperatingState) {
    this.id = identity.id;
    this.name = identity.name;
    this.kind = identity.kind;
    this.description = identity.description;
    this.table = new SignalTable(identity.id);
    this.rng = deps.rng;
    this.bus = deps.alarms;
    this.operating = operating;
    this.table.number(
      {
        name: "sequence",
        dataType: "UDINT",
        unit: "",
        description: "Increments once per simulator tick",
        group: "status",
      },
      () => this.sequence,
    );
    this.table.number(
      {
        name: "state",
        dataType: "INT",
        unit: "",
        description: `Machine state: ${MACHINE_STATES.map((s, i) => `${i} ${s}`).join(", ")}`,
        group: "status",
        enumeration: MACHINE_STATES,
      },
      () => STATE_VALUE[operating.state],
    );
    this.table.number(
      {
        name: "stopReason",
        dataType: "INT",
        unit: "",
        description: "Why the machine is not running (0 NONE while it runs); PLANNED is outside working time",
        group: "status",
        enumeration: STOP_REASONS,
      },
      () => REASON_VALUE[operating.reason],
    );
  }

  get state(): MachineState {
    return this.operating.state;
  }

  /** Every signal, in address order. */
  get signals(): readonly Signal[] {
    return this.table.list;
  }

  get alarms(): readonly AlarmInfo[] {
    return this.alarmList.map((a) => a.info);
  }

  get faults(): readonly FaultInfo[] {
    return this.faultList.map((f) => f.info);
  }

  /** Names of the fault switches that are on. */
  get activeFaults(): string[] {
    return this.faultList.filter((f) => f.active).map((f) => f.info.name);
  }

  /** Throws UnknownSignalError when there is no such signal. */
  signal(name: string): Signal {
    return this.table.get(name);
  }

  read(name: string): PlcValue {
    return this.table.get(name).read();
  }

  write(name: string, value: PlcValue): void {
    this.table.get(name).write(value);
  }

  /** Turns one of this machine's fault switches on or off. */
  setFault(name: string, active: boolean): void {
    const fault = this.faultList.find((f) => f.info.name === name);
    if (fault === undefined) {
      const known = this.faultList.map((f) => f.info.name);
      throw new UnknownFaultError(name, known);
    }
    fault.active = active;
  }

  describe(): MachineInfo {
    const signals = this.table.list.map(({ read: _read, write: _write, machine: _machine, ...info }) => info);
    const { id, name, kind, description } = this;
    return { id, name, kind, description, signals, alarms: this.alarms, faults: this.faults };
  }

  /** One tick: the sequence number first, then the machine's own physics. */
  step(context: TickContext): void {
    this.sequence = (this.sequence + 1) >>> 0;
    this.update(context);
  }

  protected abstract update(context: TickContext): void;

  protected alarm(name: string, severity: number, description: string): Alarm {
    const alarm = new Alarm(this.bus, { id: `${this.id}.${name}`, machine: this.id, name, severity, description });
    this.alarmList.push(alarm);
    return alarm;
  }

  protected fault(part: string, description: string): FaultSwitch {
    const fault: FaultSwitch = { info: { name: `${this.kind}.${part}`, machine: this.id, description }, active: false };
    this.faultList.push(fault);
    return fault;
  }
}

/** A context at `startTime`, before the first tick; the plant (or a test driving one machine) advances it. */
export function createTickContext(
  startTime: number,
  tickMs: number,
  period: ShiftPeriod,
  ambientC: number,
): TickContext {
  return {
    now: startTime,
    tickMs,
    tickS: tickMs / 1000,
    period,
    ambientC,
    lineActiveKw: 0,
    lineReactiveKvar: 0,
    lineAirNlpm: 0,
  };
}

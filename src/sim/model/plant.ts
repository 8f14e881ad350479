// The demo plant: seven machines on one line, advanced tick by tick in simulated time, deterministic from a seed.
import type { PlcValue } from "../../plc/values.ts";
import { AlarmBus, type AlarmEvent, type AlarmListener } from "./alarms.ts";
import { type CalendarConfig, ShiftCalendar, THREE_SHIFTS } from "./calendar.ts";
import { Conveyor } from "./conveyor.ts";
import { EnergyMeter } from "./energy-meter.ts";
import { Environment } from "./environment.ts";
import { InvalidOptionError, UnknownFaultError, UnknownMachineError } from "./errors.ts";
import { createTickContext, type FaultInfo, type Machine, type MachineInfo, type TickContext } from "./machine.ts";
import { Packer } from "./packer.ts";
import { Palletizer } from "./palletizer.ts";
import { Press } from "./press.ts";
import { Random } from "./random.ts";
import { Robot } from "./robot.ts";

export const DEFAULT_TICK_MS = 100;

export interface PlantOptions {
  /** Any integer; the same seed and start time give the same values on every computer. */
  readonly seed: number;
  /** Simulated time before the first tick (ms since the epoch). */
  readonly startTime: number;
  /** Length of one tick in ms (default 100); 10..1000, and it must divide a second so stops end on whole ticks. */
  readonly tickMs?: number;
  /** Shifts, breaks and weekends (default: three shifts, Monday to Friday). */
  readonly calendar?: CalendarConfig;
  /** Fault switches to turn on from the start, e.g. ["conveyor.bearing"]. */
  readonly faults?: readonly string[];
}

/** The plant described as plain data (JSON-safe): what `fabrik sim --describe` prints and faces map. */
export interface PlantInfo {
  readonly seed: number;
  readonly tickMs: number;
  readonly calendar: CalendarConfig;
  readonly machines: readonly MachineInfo[];
  readonly faults: readonly FaultInfo[];
}

function checkOptions(options: PlantOptions): number {
  if (!Number.isSafeInteger(options.seed)) throw new InvalidOptionError("seed", `${options.seed} is not an integer`);
  if (!Number.isFinite(options.startTime)) {
    throw new InvalidOptionError("startTime", `${options.startTime} is not a time in ms since the epoch`);
  }
  const tickMs = options.tickMs ?? DEFAULT_TICK_MS;
  if (!Number.isInteger(tickMs) || tickMs < 10 || tickMs > 1000 || 1000 % tickMs !== 0) {
    throw new InvalidOptionError("tickMs", `${tickMs} must be a whole divisor of 1000 between 10 and 1000`);
  }
  return tickMs;
}

export class Plant {
  readonly seed: number;
  readonly tickMs: number;
  readonly calendar: ShiftCalendar;
  readonly press: Press;
  readonly conveyor: Conveyor;
  readonly energyMeter: EnergyMeter;
  readonly robot: Robot;
  readonly packer: Packer;
  readonly palletizer: Palletizer;
  readonly environment: Environment;
  /** In the order of the demo plant's table: P1, C1, E1, R1, K1, L1, ENV1. */
  readonly machines: readonly Machine[];
  private readonly context: TickContext;
  private readonly alarms = new AlarmBus();
  /** Machines that draw power and air, in the order material flows through them (and they are stepped in). */
  private readonly line: readonly Machine[];
  private readonly byId: Map<string, Machine>;
  private tickCount = 0;

  constructor(options: PlantOptions) {
    this.tickMs = checkOptions(options);
    this.seed = options.seed;
    this.calendar = new ShiftCalendar(options.calendar ?? THREE_SHIFTS);
    const start = options.startTime;
    this.context = createTickContext(start, this.tickMs, this.calendar.periodAt(start), 20);
    const deps = (id: string) => ({ rng: new Random(options.seed, id), alarms: this.alarms, context: this.context });
    this.environment = new Environment(deps("ENV1"));
    this.context.ambientC = this.environment.hallTemperature;
    this.conveyor = new Conveyor(deps("C1"));
    this.press = new Press(deps("P1"), this.conveyor);
    this.robot = new Robot(deps("R1"), this.conveyor);
    // The packer and the palletizer refer to each other (packs flow one way, a full infeed blocks the other).
    let palletizer: Palletizer | undefined;
    this.packer = new Packer(deps("K1"), {
      feeder: this.robot.operating,
      outfeed: {
        get full() {
          return palletizer?.full ?? false;
        },
      },
    });
    palletizer = new Palletizer(deps("L1"), this.packer);
    this.palletizer = palletizer;
    this.energyMeter = new EnergyMeter(deps("E1"));
    this.machines = [
      this.press,
      this.conveyor,
      this.energyMeter,
      this.robot,
      this.packer,
      this.palletizer,
      this.environment,
    ];
    this.line = [this.press, this.conveyor, this.robot, this.packer, this.palletizer];
    this.byId = new Map(this.machines.map((m) => [m.id, m]));
    for (const fault of options.faults ?? []) this.setFault(fault, true);
  }

  /** Simulated time at the end of the last tick (ms since the epoch). */
  get now(): number {
    return this.context.now;
  }

  /** Ticks run since the start. */
  get ticks(): number {
    return this.tickCount;
  }

  /** Advances `ticks` ticks; alarm listeners hear each tick's events when that tick is complete. */
  step(ticks = 1): void {
    const context = this.context;
    const line = this.line;
    for (let n = 0; n < ticks; n++) {
      context.now += this.tickMs;
      context.period = this.calendar.periodAt(context.now);
      this.environment.step(context);
      context.ambientC = this.environment.hallTemperature;
      let kw = 0;
      let kvar = 0;
      let air = 0;
      for (let i = 0; i < line.length; i++) {
        const machine = line[i]!;
        machine.step(context);
        kw += machine.activeKw;
        kvar += machine.reactiveKvar;
        air += machine.airNlpm;
      }
      context.lineActiveKw = kw;
      context.lineReactiveKvar = kvar;
      context.lineAirNlpm = air;
      this.energyMeter.step(context);
      this.tickCount++;
      this.alarms.flush();
    }
  }

  /** Throws UnknownMachineError when there is no machine with this id. */
  machine(id: string): Machine {
    const machine = this.byId.get(id);
    if (machine === undefined) throw new UnknownMachineError(id, [...this.byId.keys()]);
    return machine;
  }

  read(machineId: string, signal: string): PlcValue {
    return this.machine(machineId).read(signal);
  }

  /** Writes a setpoint; throws a SimModelError for unknown names, measurements, wrong types and values out of range. */
  write(machineId: string, signal: string, value: PlcValue): void {
    this.machine(machineId).write(signal, value);
  }

  /** Every fault switch of every machine. */
  faults(): FaultInfo[] {
    return this.machines.flatMap((m) => m.faults);
  }

  /** Names of the fault switches that are on. */
  activeFaults(): string[] {
    return this.machines.flatMap((m) => m.activeFaults);
  }

  /** Turns a fault switch ("conveyor.bearing") on or off; throws UnknownFaultError for a name no machine has. */
  setFault(name: string, active: boolean): void {
    const machine = this.machines.find((m) => m.faults.some((f) => f.name === name));
    if (machine === undefined) {
      const known = this.faults().map((f) => f.name);
      throw new UnknownFaultError(name, known);
    }
    machine.setFault(name, active);
  }

  /** Calls `listener` with every alarm raise and clear from now on; returns the function that unsubscribes. */
  onAlarm(listener: AlarmListener): () => void {
    return this.alarms.subscribe(listener);
  }

  /** The RAISE event of every alarm active now: what an OPC UA ConditionRefresh or a UI's first paint needs. */
  activeAlarms(): AlarmEvent[] {
    return this.alarms.active();
  }

  describe(): PlantInfo {
    return {
      seed: this.seed,
      tickMs: this.tickMs,
      calendar: this.calendar.config,
      machines: this.machines.map((m) => m.describe()),
      faults: this.faults(),
    };
  }
}

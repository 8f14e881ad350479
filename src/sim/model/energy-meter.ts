// Energy meter E1 (Modbus TCP, second unit on the gateway): measures the line, whose power is the sum of its machines.
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import type { Random } from "./random.ts";
import { OperatingState } from "./state.ts";

const NOMINAL_V = 231;
/** Source impedance of the feeder: volts lost per ampere drawn on a phase. */
const DROP_V_PER_A = 0.015;

/** A mean-reverting random walk (Ornstein–Uhlenbeck): the grid's slow wander, which plain noise would not give. */
class Wander {
  value: number;
  private readonly mean: number;
  private readonly pull: number;
  private readonly kick: number;

  constructor(mean: number, sd: number, tauS: number, tickS: number) {
    this.mean = mean;
    this.value = mean;
    this.pull = tickS / tauS;
    this.kick = sd * Math.sqrt((2 * tickS) / tauS);
  }

  update(rng: Random): number {
    this.value += (this.mean - this.value) * this.pull + this.kick * rng.gaussian();
    return this.value;
  }
}

export class EnergyMeter extends Machine {
  /** Integrated in float64; the REAL a face reads is rounded from it, so no precision is lost over years. */
  energyKwh: number;
  measuredKw = 0;
  measuredKvar = 0;
  powerFactor = 1;
  readonly voltages = new Float64Array(3);
  readonly currents = new Float64Array(3);
  private readonly imbalance: readonly number[];
  private readonly phaseOffset: readonly number[];
  private readonly grid: Wander;
  private readonly frequency: Wander;

  constructor(deps: MachineDeps) {
    const { rng, context } = deps;
    super(
      { id: "E1", name: "Energy meter E1", kind: "energy", description: "Three-phase meter on the line's feeder" },
      deps,
      new OperatingState({ followsCalendar: false }, rng, context.period, context.now),
    );
    this.energyKwh = rng.uniform(20_000, 90_000);
    const a = rng.uniform(-0.02, 0.02);
    const b = rng.uniform(-0.02, 0.02);
    this.imbalance = [a, b, -a - b];
    this.phaseOffset = [rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8), rng.uniform(-0.8, 0.8)];
    this.grid = new Wander(NOMINAL_V, 1.2, 600, context.tickS);
    this.frequency = new Wander(50, 0.015, 30, context.tickS);
    this.voltages.fill(NOMINAL_V);
    this.defineSignals();
  }

  private defineSignals(): void {
    const s = this.table;
    for (let phase = 0; phase < 3; phase++) {
      s.number(
        {
          name: `voltageL${phase + 1}`,
          dataType: "REAL",
          unit: "V",
          description: `Voltage L${phase + 1} to neutral`,
          range: { min: 0, max: 300 },
          group: "voltage",
        },
        () => this.voltages[phase]!,
      );
    }
    for (let phase = 0; phase < 3; phase++) {
      s.number(
        {
          name: `currentL${phase + 1}`,
          dataType: "REAL",
          unit: "A",
          description: `Current in L${phase + 1}`,
          range: { min: 0, max: 250 },
          group: "current",
        },
        () => this.currents[phase]!,
      );
    }
    s.number(
      {
        name: "activePower",
        dataType: "REAL",
        unit: "kW",
        description: "Total active power: the sum of the line's machines",
        range: { min: 0, max: 150 },
        group: "power",
      },
      () => this.measuredKw,
    );
    s.number(
      {
        name: "powerFactor",
        dataType: "REAL",
        unit: "",
        description: "Total power factor (active / apparent power)",
        range: { min: 0, max: 1 },
        group: "power",
      },
      () => this.powerFactor,
    );
    s.number(
      {
        name: "energy",
        dataType: "REAL",
        unit: "kWh",
        description: "Active energy imported, integrated from the active power",
        group: "power",
      },
      () => this.energyKwh,
    );
    s.number(
      {
        name: "frequency",
        dataType: "REAL",
        unit: "Hz",
        description: "Grid frequency",
        range: { min: 45, max: 55 },
        group: "voltage",
      },
      () => this.frequency.value,
    );
  }

  protected update(context: TickContext): void {
    this.operating.update(context.now, context.tickMs, context.period, "OK");
    const kw = context.lineActiveKw;
    const kvar = context.lineReactiveKvar;
    this.measuredKw = kw;
    this.measuredKvar = kvar;
    const apparentKva = Math.sqrt(kw * kw + kvar * kvar);
    this.powerFactor = apparentKva > 0 ? kw / apparentKva : 1;
    // Rectangle rule at the tick's power: exactly the sum a downstream integration of the published power would make.
    this.energyKwh += (kw * context.tickS) / 3600;
    const grid = this.grid.update(this.rng);
    this.frequency.update(this.rng);
    for (let phase = 0; phase < 3; phase++) {
      const current = ((apparentKva * 1000) / (3 * grid)) * (1 + this.imbalance[phase]!);
      this.currents[phase] = current;
      this.voltages[phase] = grid + this.phaseOffset[phase]! - DROP_V_PER_A * current + 0.05 * this.rng.gaussian();
    }
  }
}

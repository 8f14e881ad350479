// Press P1 (an S7-1500 in the plant): a hydraulic press whose oil heats with load and whose pressure lags its setpoint.
import { Lag, type MotorDraw, motorDraw, smoothStep, ThermalMass } from "./dynamics.ts";
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState, type StatePolicy } from "./state.ts";

const MINUTE = 60_000;
const STROKE_MM = 250;
const IDEAL_CYCLE_S = 3;
const STANDBY_BAR = 40;
const PRESSURE_TAU_S = 1.5;
const MOTOR_RATED_KW = 18.5;
/** Oil tank and circuit: about 80 litres of oil plus steel. */
const OIL_CAPACITY_J_PER_K = 150_000;
const OIL_LOSS_COOLER = 120;
const OIL_LOSS_COOLER_FAILED = 15;
const OIL_LOSS_PUMP_OFF = 45;
/** Share of the pump's shaft power that ends up as heat in the oil (throttling, leakage, friction). */
const HEAT_SHARE = 0.3;
const OIL_ALARM_C = 60;
const OIL_ALARM_CLEAR_C = 55;
const OIL_TRIP_C = 70;
const OIL_RESTART_C = 50;
/** Phase of the stroke in which the ram forms the part: the pump works hardest here. */
const PRESS_FROM = 0.35;
const PRESS_TO = 0.55;

export const PRESS_POLICY: StatePolicy = {
  followsCalendar: true,
  changeover: { minMs: 10 * MINUTE, maxMs: 25 * MINUTE },
  breakdown: { meanRunMs: 300 * MINUTE, duration: { minMs: 4 * MINUTE, maxMs: 45 * MINUTE } },
  minorStop: { meanRunMs: 45 * MINUTE, duration: { minMs: 20_000, maxMs: 3 * MINUTE } },
  blockAfterMs: 30_000,
};

/** What the press needs to know about the conveyor it unloads onto: parts pile up when the belt stands. */
export interface Outfeed {
  readonly beltMoving: boolean;
}

/** Ram travel over one stroke: fast approach, slow forming at the bottom, return. */
function ramProfile(phase: number): number {
  if (phase < PRESS_FROM) return STROKE_MM * 0.92 * smoothStep(phase / PRESS_FROM);
  if (phase < PRESS_TO) return STROKE_MM * (0.92 + 0.08 * smoothStep((phase - PRESS_FROM) / (PRESS_TO - PRESS_FROM)));
  return STROKE_MM * (1 - smoothStep((phase - PRESS_TO) / (1 - PRESS_TO)));
}

export class Press extends Machine {
  pressureSetpoint = 160;
  strokes: number;
  goodCount = 0;
  rejectCount = 0;
  readonly oil: ThermalMass;
  private readonly pressure: Lag;
  private measuredPressure: number;
  private motorCurrent = 0;
  private ramPosition = 0;
  private phase = 0;
  private deviationMs = 0;
  private readonly draw: MotorDraw = { activeKw: 0, reactiveKvar: 0, currentA: 0 };
  private readonly outfeed: Outfeed;
  private readonly cooler = this.fault(
    "cooler",
    "The oil cooler fails: running, the oil passes its alarm within about 20 minutes and trips",
  );
  private readonly leak = this.fault("leak", "An internal leak: pressure reaches only 80 % of its setpoint");
  private readonly oilHigh = this.alarm("OIL_TEMPERATURE_HIGH", 600, `Hydraulic oil at or above ${OIL_ALARM_C} °C`);
  private readonly oilTrip = this.alarm("OIL_TEMPERATURE_TRIP", 900, `Oil reached ${OIL_TRIP_C} °C: press stopped`);
  private readonly deviation = this.alarm(
    "PRESSURE_DEVIATION",
    500,
    "Pressure more than 10 % off its setpoint for 5 s",
  );

  constructor(deps: MachineDeps, outfeed: Outfeed) {
    const { rng, context } = deps;
    super(
      { id: "P1", name: "Press P1", kind: "press", description: "Hydraulic forming press, 20 strokes per minute" },
      deps,
      new OperatingState(PRESS_POLICY, rng, context.period, context.now),
    );
    this.outfeed = outfeed;
    this.strokes = Math.floor(rng.uniform(1e6, 5e6));
    const warm = this.operating.running;
    this.oil = new ThermalMass(
      OIL_CAPACITY_J_PER_K,
      context.ambientC + (warm ? rng.uniform(12, 20) : rng.uniform(0, 2)),
    );
    this.pressure = new Lag(PRESSURE_TAU_S, context.tickS, warm ? this.pressureSetpoint : 0);
    this.measuredPressure = this.pressure.value;
    this.defineSignals();
  }

  private defineSignals(): void {
    const s = this.table;
    const counters = "counters";
    s.number(
      { name: "strokes", dataType: "UDINT", unit: "", description: "Lifetime stroke counter", group: counters },
      () => this.strokes,
    );
    s.number(
      { name: "goodCount", dataType: "UDINT", unit: "", description: "Good parts pressed", group: counters },
      () => this.goodCount,
    );
    s.number(
      { name: "rejectCount", dataType: "UDINT", unit: "", description: "Parts rejected", group: counters },
      () => this.rejectCount,
    );
    s.number(
      {
        name: "idealCycleTime",
        dataType: "REAL",
        unit: "s",
        description: "Rated stroke time (for OEE)",
        group: counters,
      },
      () => IDEAL_CYCLE_S,
    );
    const hydraulics = "hydraulics";
    s.number(
      {
        name: "pressure",
        dataType: "REAL",
        unit: "bar",
        description: "Hydraulic system pressure",
        range: { min: 0, max: 250 },
        group: hydraulics,
      },
      () => this.measuredPressure,
    );
    s.number(
      {
        name: "pressureSetpoint",
        dataType: "REAL",
        unit: "bar",
        description: "Pressure the pump regulates to while pressing",
        range: { min: 50, max: 220 },
        group: hydraulics,
      },
      () => this.pressureSetpoint,
      (value) => {
        this.pressureSetpoint = value;
      },
    );
    s.number(
      {
        name: "oilTemperature",
        dataType: "REAL",
        unit: "°C",
        description: "Hydraulic oil temperature in the tank",
        range: { min: 0, max: 120 },
        group: hydraulics,
      },
      () => this.oil.temperature,
    );
    s.number(
      {
        name: "motorCurrent",
        dataType: "REAL",
        unit: "A",
        description: "Pump motor current",
        range: { min: 0, max: 80 },
        group: hydraulics,
      },
      () => this.motorCurrent,
    );
    s.number(
      {
        name: "ramPosition",
        dataType: "REAL",
        unit: "mm",
        description: "Ram position below top dead centre",
        range: { min: 0, max: STROKE_MM },
        group: "ram",
      },
      () => this.ramPosition,
    );
  }

  protected update(context: TickContext): void {
    const { now, tickMs, tickS } = context;
    const operating = this.operating;
    operating.update(now, tickMs, context.period, this.outfeed.beltMoving ? "OK" : "BLOCKED");
    this.protect(now);
    const state = operating.state;
    const running = state === "RUNNING";
    // The pump runs while the press works or waits within its shift; it is off for breaks, shift ends and faults.
    const pumpOn = running || state === "SETUP" || (state === "IDLE" && operating.reason !== "PLANNED");

    const target = pumpOn ? (running || state === "SETUP" ? this.pressureSetpoint : STANDBY_BAR) : 0;
    const pressure = this.pressure.update(this.leak.active ? target * 0.8 : target);
    this.measuredPressure = Math.max(0, pressure + 0.4 * this.rng.gaussian());

    let pressing = false;
    if (running) {
      const before = this.phase;
      this.phase += tickS / IDEAL_CYCLE_S;
      if (this.phase >= 1) this.phase -= 1;
      pressing = this.phase >= PRESS_FROM && this.phase < PRESS_TO;
      if (before < 0.5 && this.phase >= 0.5) this.completeStroke(pressure);
      this.ramPosition = ramProfile(this.phase);
    } else {
      this.phase = 0;
      this.ramPosition = Math.max(0, this.ramPosition - 150 * tickS);
    }

    const shaftKw = pumpOn ? 1.2 + 0.075 * pressure * (running ? (pressing ? 1.6 : 0.6) : 0.15) : 0;
    const draw = motorDraw(MOTOR_RATED_KW, shaftKw, this.draw);
    this.activeKw = draw.activeKw;
    this.reactiveKvar = draw.reactiveKvar;
    this.motorCurrent = draw.currentA > 0 ? Math.max(0, draw.currentA + 0.2 * this.rng.gaussian()) : 0;
    this.airNlpm = running ? 150 : 0;

    const loss = pumpOn ? (this.cooler.active ? OIL_LOSS_COOLER_FAILED : OIL_LOSS_COOLER) : OIL_LOSS_PUMP_OFF;
    const oil = this.oil.update(HEAT_SHARE * shaftKw * 1000, loss, context.ambientC, tickS);
    this.watch(context, oil, pressure);
  }

  private completeStroke(pressure: number): void {
    this.strokes = (this.strokes + 1) >>> 0;
    const off = Math.abs(pressure - this.pressureSetpoint) / this.pressureSetpoint;
    const p = 0.003 + (off > 0.05 ? 0.3 : 0) + (this.oil.temperature > OIL_ALARM_C ? 0.04 : 0);
    if (this.rng.chance(p)) this.rejectCount = (this.rejectCount + 1) >>> 0;
    else this.goodCount = (this.goodCount + 1) >>> 0;
  }

  /** The oil thermostat's trip, acted on before the pump is driven so a tripped press has its pump off at once. */
  private protect(now: number): void {
    const operating = this.operating;
    const oil = this.oil.temperature;
    if (operating.running && oil >= OIL_TRIP_C) {
      operating.hold(now, "FAULT", "OVERTEMPERATURE");
      this.oilTrip.set(true, now, `Oil temperature ${oil.toFixed(1)} °C: press tripped`, oil);
    } else if (this.oilTrip.active && oil <= OIL_RESTART_C) {
      operating.release(now);
      this.oilTrip.set(false, now, `Oil cooled to ${oil.toFixed(1)} °C: press may restart`, oil);
    }
  }

  private watch(context: TickContext, oil: number, pressure: number): void {
    const { now, tickMs } = context;
    const operating = this.operating;
    this.oilHigh.above(oil, OIL_ALARM_C, OIL_ALARM_CLEAR_C, now, "Oil temperature", "°C");
    const off = Math.abs(pressure - this.pressureSetpoint);
    const limit = 0.1 * this.pressureSetpoint;
    this.deviationMs = operating.running && off > limit ? this.deviationMs + tickMs : 0;
    if (this.deviationMs >= 5000) {
      this.deviation.set(
        true,
        now,
        `Pressure ${pressure.toFixed(1)} bar, setpoint ${this.pressureSetpoint} bar`,
        pressure,
      );
    } else if (this.deviation.active && (!operating.running || off < limit / 2)) {
      this.deviation.set(false, now, `Pressure back within 5 % of its setpoint`, pressure);
    }
  }
}

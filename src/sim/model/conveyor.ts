// Conveyor C1 (Modbus TCP): a belt whose bearing wears until vibration trips it, and which jams now and then.
import { Lag, type MotorDraw, motorDraw, rampTo } from "./dynamics.ts";
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState, type StatePolicy } from "./state.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NOMINAL_SPEED = 24;
/** Drive ramps (m/min per second): a normal start/stop, and the fast stop a jam or a trip triggers. */
const RAMP = 12;
const EMERGENCY_RAMP = 60;
const MOTOR_RATED_KW = 2.2;
/** ISO 10816 class I: 4.5 mm/s is "unsatisfactory", 7.1 mm/s "unacceptable" — the alarm and the trip. */
const VIBRATION_ALARM = 4.5;
const VIBRATION_CLEAR = 4;
const VIBRATION_TRIP = 7.1;
/** Running hours at nominal speed that take a bearing from new (wear 0) to worn out (wear 1). */
const BEARING_LIFE_H = 36;
/** The fault switch shortens the life so a trip comes within about ten minutes. */
const FAULTY_BEARING_LIFE_H = 0.25;
const JAM_MIN_MS = 30_000;
const JAM_MAX_MS = 120_000;
const JAM_MEAN_RUN_MS = 50 * MINUTE;
const FREQUENT_JAM_MEAN_RUN_MS = 90_000;

export const CONVEYOR_POLICY: StatePolicy = {
  followsCalendar: true,
  changeover: { minMs: 3 * MINUTE, maxMs: 8 * MINUTE },
  breakdown: { meanRunMs: 16 * HOUR, duration: { minMs: 5 * MINUTE, maxMs: 40 * MINUTE } },
};

export const BEARING_REPAIR = { minMs: 45 * MINUTE, maxMs: 90 * MINUTE };
export const JAM_DURATION = { minMs: JAM_MIN_MS, maxMs: JAM_MAX_MS };

export class Conveyor extends Machine {
  speedSetpoint = NOMINAL_SPEED;
  speed: number;
  /** 0 = new bearing, ~0.97 = vibration at the trip limit. */
  wear: number;
  jammed = false;
  /** The transmitter averages over about two seconds, as a vibration RMS does; the alarm sees that average. */
  private readonly vibration: Lag;
  private motorCurrent = 0;
  private runToJam: number;
  private frequentJams = false;
  private readonly draw: MotorDraw = { activeKw: 0, reactiveKvar: 0, currentA: 0 };
  private readonly bearing = this.fault("bearing", "A bearing wears fast: vibration alarm and trip within minutes");
  private readonly jamming = this.fault("jam", "Parts jam every minute or two instead of every hour");
  private readonly vibrationHigh = this.alarm("VIBRATION_HIGH", 600, `Vibration at or above ${VIBRATION_ALARM} mm/s`);
  private readonly bearingTrip = this.alarm(
    "BEARING_TRIP",
    900,
    `Vibration reached ${VIBRATION_TRIP} mm/s: belt stopped`,
  );
  private readonly jamAlarm = this.alarm("JAM", 500, "Jam sensor: belt stopped until the jam is cleared");

  constructor(deps: MachineDeps) {
    const { rng, context } = deps;
    super(
      {
        id: "C1",
        name: "Conveyor C1",
        kind: "conveyor",
        description: "Belt conveyor from the press to the robot cell",
      },
      deps,
      new OperatingState(CONVEYOR_POLICY, rng, context.period, context.now),
    );
    this.wear = rng.uniform(0.2, 0.45);
    this.speed = this.operating.running ? this.speedSetpoint : 0;
    this.vibration = new Lag(2, context.tickS, this.trueVibration());
    this.runToJam = rng.exponential(JAM_MEAN_RUN_MS);
    this.defineSignals();
  }

  get beltMoving(): boolean {
    return this.speed > 1;
  }

  private defineSignals(): void {
    const s = this.table;
    s.number(
      {
        name: "beltSpeed",
        dataType: "REAL",
        unit: "m/min",
        description: "Measured belt speed",
        range: { min: 0, max: 50 },
        group: "drive",
      },
      () => this.speed,
    );
    s.number(
      {
        name: "beltSpeedSetpoint",
        dataType: "REAL",
        unit: "m/min",
        description: "Belt speed the drive ramps to while running",
        range: { min: 5, max: 45 },
        group: "drive",
      },
      () => this.speedSetpoint,
      (value) => {
        this.speedSetpoint = value;
      },
    );
    s.number(
      {
        name: "motorCurrent",
        dataType: "REAL",
        unit: "A",
        description: "Drive motor current",
        range: { min: 0, max: 10 },
        group: "drive",
      },
      () => this.motorCurrent,
    );
    s.number(
      {
        name: "vibration",
        dataType: "REAL",
        unit: "mm/s",
        description: "Vibration velocity RMS at the drive-end bearing",
        range: { min: 0, max: 20 },
        group: "condition",
      },
      () => this.vibration.value,
    );
    s.bool(
      { name: "jam", dataType: "BOOL", unit: "", description: "Jam sensor (true while jammed)", group: "condition" },
      () => this.jammed,
    );
  }

  /** Vibration of the bearing at the current wear and speed, before sensor noise. */
  trueVibration(): number {
    if (!this.beltMoving) return 0.05;
    return (0.9 + 6.6 * this.wear * this.wear) * (0.7 + (0.3 * this.speed) / NOMINAL_SPEED);
  }

  protected update(context: TickContext): void {
    const { now, tickMs, tickS } = context;
    const operating = this.operating;
    operating.update(now, tickMs, context.period, "OK");
    this.endStops(now);
    if (this.jamming.active !== this.frequentJams) {
      // Switching the fault draws the time to the next jam anew, so frequent jams start at once.
      this.frequentJams = this.jamming.active;
      this.runToJam = this.rng.exponential(this.frequentJams ? FREQUENT_JAM_MEAN_RUN_MS : JAM_MEAN_RUN_MS);
    }

    const running = operating.running;
    if (running && this.beltMoving) {
      const life = (this.bearing.active ? FAULTY_BEARING_LIFE_H : BEARING_LIFE_H) * HOUR;
      this.wear += ((this.speed / NOMINAL_SPEED) * tickMs) / life;
      this.runToJam -= tickMs;
      if (this.runToJam <= 0) this.jam(now);
    }
    const stopFast = operating.state === "FAULT";
    const target = operating.running ? this.speedSetpoint : 0;
    this.speed = rampTo(this.speed, target, (stopFast ? EMERGENCY_RAMP : RAMP) * tickS);

    const vibration = this.trueVibration();
    const measured = this.vibration.update(vibration * (1 + 0.08 * this.rng.gaussian()));
    this.vibrationHigh.above(measured, VIBRATION_ALARM, VIBRATION_CLEAR, now, "Vibration", "mm/s");
    if (operating.running && vibration >= VIBRATION_TRIP) {
      operating.stop(
        now,
        "FAULT",
        "BEARING_TRIP",
        this.rng.logNormalBetween(BEARING_REPAIR.minMs, BEARING_REPAIR.maxMs),
      );
      this.bearingTrip.set(true, now, `Vibration ${vibration.toFixed(2)} mm/s: bearing trip`, vibration);
    }

    // Friction of a worn bearing shows in the current, too.
    const shaftKw = this.speed > 0 ? 0.25 + (1.2 + 0.5 * this.wear) * (this.speed / 45) : 0;
    const draw = motorDraw(MOTOR_RATED_KW, shaftKw, this.draw);
    this.activeKw = draw.activeKw;
    this.reactiveKvar = draw.reactiveKvar;
    this.motorCurrent = draw.currentA > 0 ? Math.max(0, draw.currentA + 0.03 * this.rng.gaussian()) : 0;
  }

  private jam(now: number): void {
    this.runToJam = this.rng.exponential(this.jamming.active ? FREQUENT_JAM_MEAN_RUN_MS : JAM_MEAN_RUN_MS);
    this.jammed = true;
    this.operating.stop(now, "FAULT", "JAM", this.rng.uniform(JAM_MIN_MS, JAM_MAX_MS));
    this.jamAlarm.set(true, now, "Jam detected: belt stopped");
  }

  /** Ends what a finished stop was about: the jam is cleared, or the bearing has been replaced. */
  private endStops(now: number): void {
    const reason = this.operating.reason;
    if (this.jammed && reason !== "JAM") {
      this.jammed = false;
      this.jamAlarm.set(false, now, "Jam cleared");
    }
    if (this.bearingTrip.active && reason !== "BEARING_TRIP") {
      this.wear = this.rng.uniform(0, 0.1);
      this.bearingTrip.set(false, now, "Bearing replaced: belt may restart");
    }
  }
}

// Robot cell R1 (OPC UA): a six-axis robot whose joints heat with work and whose cycle slows as the hottest one derates.
import { ThermalMass } from "./dynamics.ts";
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState, type StatePolicy } from "./state.ts";

const MINUTE = 60_000;
const JOINTS = 6;

/** Robot programs: base cycle at 100 % override, and how hard the program works the joints. */
export const ROBOT_PROGRAMS: Readonly<Record<string, { readonly cycleS: number; readonly load: number }>> = {
  PICK_PLACE_A: { cycleS: 5.5, load: 1 },
  PICK_PLACE_B: { cycleS: 6.8, load: 1.15 },
  PICK_PLACE_C: { cycleS: 4.8, load: 0.9 },
};
const PROGRAM_NAMES = Object.keys(ROBOT_PROGRAMS);

/** Per joint: thermal time constant, and motor loss at full load. Axes 2 and 3 carry the arm, so they run hottest. */
const JOINT_TAU_S = [1500, 1800, 1600, 1200, 1000, 900];
const JOINT_LOSS_W = [36, 60, 56, 28, 24, 16];
/** Loss coefficient of every joint to the hall (W/K): full load warms axis 2 by 30 K. */
const JOINT_COOLING_W_PER_K = 2;
/** The fault switch makes axis 3's brake drag. */
const DRAGGING_JOINT = 2;
const DRAG_FACTOR = 6;
/** Above this the controller limits joint speed to protect the motor: the cycle stretches by 1.2 % per kelvin. */
const DERATE_FROM_C = 50;
const DERATE_PER_K = 0.012;
const JOINT_ALARM_C = 80;
const JOINT_CLEAR_C = 75;
const JOINT_TRIP_C = 90;
const JOINT_RESTART_C = 65;

export const ROBOT_POLICY: StatePolicy = {
  followsCalendar: true,
  changeover: { minMs: 5 * MINUTE, maxMs: 15 * MINUTE },
  breakdown: { meanRunMs: 360 * MINUTE, duration: { minMs: 3 * MINUTE, maxMs: 30 * MINUTE } },
  minorStop: { meanRunMs: 60 * MINUTE, duration: { minMs: 15_000, maxMs: 2 * MINUTE } },
  starveAfterMs: 20_000,
};

/** What the robot needs to know about the conveyor that brings its parts. */
export interface Infeed {
  readonly beltMoving: boolean;
}

/** How much longer a cycle takes with the hottest joint at `hottestC`. */
export function derating(hottestC: number): number {
  return hottestC > DERATE_FROM_C ? 1 + DERATE_PER_K * (hottestC - DERATE_FROM_C) : 1;
}

export class Robot extends Machine {
  program = "PICK_PLACE_A";
  speedOverride = 100;
  /** Duration of the last completed cycle (s). */
  cycleTime: number;
  goodCount = 0;
  rejectCount = 0;
  gripperClosed = false;
  readonly jointTemperatures = new Float64Array(JOINTS);
  private readonly joints: ThermalMass[] = [];
  private progress = 0;
  private elapsedS = 0;
  private plannedS: number;
  private readonly infeed: Infeed;
  private readonly drag = this.fault("joint", "Axis 3's brake drags: it heats past its alarm within about 10 minutes");
  private readonly jointHigh = Array.from({ length: JOINTS }, (_, j) =>
    this.alarm(`JOINT${j + 1}_TEMPERATURE_HIGH`, 700, `Axis ${j + 1} motor at or above ${JOINT_ALARM_C} °C`),
  );
  private readonly trip = this.alarm("OVERTEMPERATURE_TRIP", 900, `A joint reached ${JOINT_TRIP_C} °C: robot stopped`);

  constructor(deps: MachineDeps, infeed: Infeed) {
    const { rng, context } = deps;
    super(
      { id: "R1", name: "Robot cell R1", kind: "robot", description: "Six-axis robot taking parts off the conveyor" },
      deps,
      new OperatingState(ROBOT_POLICY, rng, context.period, context.now),
    );
    this.infeed = infeed;
    const warm = this.operating.running;
    for (let j = 0; j < JOINTS; j++) {
      const rise = (JOINT_LOSS_W[j]! / JOINT_COOLING_W_PER_K) * (warm ? rng.uniform(0.5, 0.8) : 0);
      this.joints.push(new ThermalMass(JOINT_TAU_S[j]! * JOINT_COOLING_W_PER_K, context.ambientC + rise));
      this.jointTemperatures[j] = this.joints[j]!.temperature;
    }
    this.cycleTime = this.baseCycleS();
    this.plannedS = this.nextCycleS();
    this.defineSignals();
  }

  private defineSignals(): void {
    const s = this.table;
    s.number(
      {
        name: "cycleTime",
        dataType: "REAL",
        unit: "s",
        description: "Duration of the last completed cycle",
        range: { min: 0, max: 120 },
        group: "cycle",
      },
      () => this.cycleTime,
    );
    s.number(
      {
        name: "idealCycleTime",
        dataType: "REAL",
        unit: "s",
        description: "Rated cycle of the selected program at 100 % override (for OEE)",
        group: "cycle",
      },
      () => ROBOT_PROGRAMS[this.program]!.cycleS,
    );
    s.string(
      {
        name: "programName",
        dataType: "STRING",
        unit: "",
        description: "Selected robot program; a new one starts with the next cycle",
        group: "cycle",
        choices: PROGRAM_NAMES,
        maxLength: 32,
      },
      () => this.program,
      (value) => {
        this.program = value;
      },
    );
    s.number(
      {
        name: "speedOverride",
        dataType: "REAL",
        unit: "%",
        description: "Programmed speed override",
        range: { min: 10, max: 100 },
        group: "cycle",
      },
      () => this.speedOverride,
      (value) => {
        this.speedOverride = value;
      },
    );
    s.realArray(
      {
        name: "jointTemperatures",
        dataType: "REAL",
        arrayLength: JOINTS,
        unit: "°C",
        description: "Motor temperature of axes 1 to 6",
        range: { min: 0, max: 150 },
        group: "joints",
      },
      this.jointTemperatures,
    );
    s.bool(
      { name: "gripperClosed", dataType: "BOOL", unit: "", description: "Gripper holds a part", group: "cycle" },
      () => this.gripperClosed,
    );
    s.number(
      { name: "goodCount", dataType: "UDINT", unit: "", description: "Parts placed", group: "counters" },
      () => this.goodCount,
    );
    s.number(
      {
        name: "rejectCount",
        dataType: "UDINT",
        unit: "",
        description: "Parts dropped or misplaced",
        group: "counters",
      },
      () => this.rejectCount,
    );
  }

  hottestJoint(): number {
    let hottest = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < JOINTS; j++) hottest = Math.max(hottest, this.jointTemperatures[j]!);
    return hottest;
  }

  private baseCycleS(): number {
    return (ROBOT_PROGRAMS[this.program]!.cycleS * 100) / this.speedOverride;
  }

  /** The next cycle's duration when nothing derates: the base with a little scatter from part position. */
  private nextCycleS(): number {
    return this.baseCycleS() * (1 + 0.01 * this.rng.gaussian());
  }

  protected update(context: TickContext): void {
    const { now, tickMs, tickS } = context;
    const operating = this.operating;
    operating.update(now, tickMs, context.period, this.infeed.beltMoving ? "OK" : "STARVED");
    const state = operating.state;
    const running = state === "RUNNING";
    const servoOn = running || state === "SETUP" || (state === "IDLE" && operating.reason !== "PLANNED");
    const load = running ? ROBOT_PROGRAMS[this.program]!.load * (this.speedOverride / 100) ** 1.5 : servoOn ? 0.15 : 0;

    for (let j = 0; j < JOINTS; j++) {
      const heat = JOINT_LOSS_W[j]! * load * (j === DRAGGING_JOINT && this.drag.active ? DRAG_FACTOR : 1);
      this.jointTemperatures[j] = this.joints[j]!.update(heat, JOINT_COOLING_W_PER_K, context.ambientC, tickS);
    }
    const hottest = this.hottestJoint();

    if (running) {
      this.elapsedS += tickS;
      this.progress += tickS / (this.plannedS * derating(hottest));
      if (this.progress >= 1) this.completeCycle(hottest);
      this.gripperClosed = this.progress >= 0.3 && this.progress < 0.75;
    }

    const shaftKw = servoOn ? 0.4 + 2.6 * load : 0;
    // Servo drives with an active front end draw little reactive power.
    this.activeKw = shaftKw / 0.9;
    this.reactiveKvar = this.activeKw * 0.25;
    this.airNlpm = running ? 250 : 0;
    this.watch(context, hottest);
  }

  private completeCycle(hottest: number): void {
    this.cycleTime = this.elapsedS;
    this.elapsedS = 0;
    this.progress = 0;
    this.plannedS = this.nextCycleS();
    const p = 0.002 + (derating(hottest) > 1.2 ? 0.01 : 0);
    if (this.rng.chance(p)) this.rejectCount = (this.rejectCount + 1) >>> 0;
    else this.goodCount = (this.goodCount + 1) >>> 0;
  }

  private watch(context: TickContext, hottest: number): void {
    const now = context.now;
    for (let j = 0; j < JOINTS; j++) {
      this.jointHigh[j]!.above(this.jointTemperatures[j]!, JOINT_ALARM_C, JOINT_CLEAR_C, now, `Axis ${j + 1}`, "°C");
    }
    const operating = this.operating;
    if (operating.running && hottest >= JOINT_TRIP_C) {
      operating.hold(now, "FAULT", "OVERTEMPERATURE");
      this.trip.set(true, now, `Joint at ${hottest.toFixed(1)} °C: robot stopped`, hottest);
    } else if (this.trip.active && hottest <= JOINT_RESTART_C) {
      operating.release(now);
      this.trip.set(false, now, `Joints cooled to ${hottest.toFixed(1)} °C: robot may restart`, hottest);
    }
  }
}

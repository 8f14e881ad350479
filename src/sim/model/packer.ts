// Packer K1 (Beckhoff ADS): wraps parts in film and seals them; rejects climb when the sealing jaw leaves its band.
import { clamp, Lag, type MotorDraw, motorDraw, ThermalMass } from "./dynamics.ts";
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState, type StatePolicy } from "./state.ts";

const MINUTE = 60_000;
const RATED_PACKS_PER_MIN = 50;
/** The product's sealing window: outside it seals fail (too cold) or the film burns (too hot). */
export const SEALING_BAND = { low: 160, high: 175 } as const;
const JAW_CAPACITY_J_PER_K = 6000;
const JAW_LOSS_W_PER_K = 8;
/** Film running through the jaw carries heat away at this rate (W/K) at 45 packs per minute. */
const FILM_LOSS_W_PER_K = 6;
const HEATER_W = 2500;
const WEAK_HEATER_W = 700;
const KP_W_PER_K = 150;
const KI_W_PER_K_S = 3;
const FILM_PER_PACK_M = 0.42;
const REEL_M = 1500;
const CORE_RADIUS_M = 0.038;
const FILM_THICKNESS_M = 50e-6;

export const PACKER_POLICY: StatePolicy = {
  followsCalendar: true,
  changeover: { minMs: 8 * MINUTE, maxMs: 20 * MINUTE },
  breakdown: { meanRunMs: 180 * MINUTE, duration: { minMs: 2 * MINUTE, maxMs: 20 * MINUTE } },
  minorStop: { meanRunMs: 30 * MINUTE, duration: { minMs: 10_000, maxMs: 90_000 } },
  starveAfterMs: 45_000,
  // A full infeed is a wall: the next pack has nowhere to go.
  blockAfterMs: 0,
};
export const REEL_CHANGE = { minMs: 90_000, maxMs: 240_000 };

/** Probability that a pack sealed at `sealingC` is rejected. */
export function sealRejectProbability(sealingC: number): number {
  const outside = Math.max(SEALING_BAND.low - sealingC, sealingC - SEALING_BAND.high, 0);
  return 0.004 + (outside > 0 ? Math.min(0.9, 0.1 + 0.06 * outside) : 0);
}

/** What the packer needs to know about its neighbours: the robot feeding it, the palletizer's infeed it fills. */
export interface PackerNeighbours {
  readonly feeder: { readonly running: boolean };
  readonly outfeed: { readonly full: boolean };
}

export class Packer extends Machine {
  speedSetpoint = 45;
  sealingSetpoint = 168;
  filmTensionSetpoint = 45;
  packsMade = 0;
  goodCount = 0;
  rejectCount = 0;
  filmRemaining: number;
  readonly jaw: ThermalMass;
  private heaterW = 0;
  private integralW = 0;
  private measuredSealing: number;
  private readonly tension: Lag;
  private measuredTension: number;
  private reelAngle = 0;
  private progress = 0;
  private outOfBandMs = 0;
  private readonly draw: MotorDraw = { activeKw: 0, reactiveKvar: 0, currentA: 0 };
  private readonly neighbours: PackerNeighbours;
  private readonly weakHeater = this.fault("heater", "The sealing heater loses power: the jaw falls out of its band");
  private readonly outOfBand = this.alarm(
    "SEALING_OUT_OF_BAND",
    700,
    `Sealing temperature outside ${SEALING_BAND.low}..${SEALING_BAND.high} °C for 5 s while packing`,
  );

  constructor(deps: MachineDeps, neighbours: PackerNeighbours) {
    const { rng, context } = deps;
    super(
      { id: "K1", name: "Packer K1", kind: "packer", description: "Flow-wrapper: film, sealing jaw, outfeed" },
      deps,
      new OperatingState(PACKER_POLICY, rng, context.period, context.now),
    );
    this.neighbours = neighbours;
    this.filmRemaining = rng.uniform(100, REEL_M);
    const hot = context.period.kind !== "OFF";
    this.jaw = new ThermalMass(JAW_CAPACITY_J_PER_K, hot ? this.sealingSetpoint : context.ambientC);
    this.integralW = hot ? JAW_LOSS_W_PER_K * (this.sealingSetpoint - context.ambientC) : 0;
    this.measuredSealing = this.jaw.temperature;
    this.tension = new Lag(0.5, context.tickS, this.filmTensionSetpoint);
    this.measuredTension = this.tension.value;
    this.defineSignals();
  }

  private defineSignals(): void {
    const s = this.table;
    const counters = "counters";
    s.number(
      { name: "packsMade", dataType: "UDINT", unit: "", description: "Packs made, good and rejected", group: counters },
      () => this.packsMade,
    );
    s.number(
      { name: "goodCount", dataType: "UDINT", unit: "", description: "Good packs", group: counters },
      () => this.goodCount,
    );
    s.number(
      { name: "rejectCount", dataType: "UDINT", unit: "", description: "Rejected packs", group: counters },
      () => this.rejectCount,
    );
    s.number(
      {
        name: "idealCycleTime",
        dataType: "REAL",
        unit: "s",
        description: "Rated time per pack (for OEE)",
        group: counters,
      },
      () => 60 / RATED_PACKS_PER_MIN,
    );
    s.number(
      {
        name: "speedSetpoint",
        dataType: "REAL",
        unit: "packs/min",
        description: "Packing rate while running",
        range: { min: 10, max: RATED_PACKS_PER_MIN },
        group: "infeed",
      },
      () => this.speedSetpoint,
      (value) => {
        this.speedSetpoint = value;
      },
    );
    s.number(
      {
        name: "filmTension",
        dataType: "REAL",
        unit: "N",
        description: "Film web tension at the dancer",
        range: { min: 0, max: 150 },
        group: "film",
      },
      () => this.measuredTension,
    );
    s.number(
      {
        name: "filmTensionSetpoint",
        dataType: "REAL",
        unit: "N",
        description: "Web tension the dancer holds",
        range: { min: 20, max: 80 },
        group: "film",
      },
      () => this.filmTensionSetpoint,
      (value) => {
        this.filmTensionSetpoint = value;
      },
    );
    s.number(
      {
        name: "filmRemaining",
        dataType: "REAL",
        unit: "m",
        description: "Film left on the reel",
        range: { min: 0, max: REEL_M },
        group: "film",
      },
      () => this.filmRemaining,
    );
    s.number(
      {
        name: "sealingTemperature",
        dataType: "REAL",
        unit: "°C",
        description: "Sealing jaw temperature",
        range: { min: 0, max: 250 },
        group: "sealer",
      },
      () => this.measuredSealing,
    );
    s.number(
      {
        name: "sealingSetpoint",
        dataType: "REAL",
        unit: "°C",
        description: `Sealing jaw setpoint (the product seals within ${SEALING_BAND.low}..${SEALING_BAND.high} °C)`,
        range: { min: 100, max: 220 },
        group: "sealer",
      },
      () => this.sealingSetpoint,
      (value) => {
        this.sealingSetpoint = value;
      },
    );
    s.number(
      {
        name: "sealingBandLow",
        dataType: "REAL",
        unit: "°C",
        description: "Lowest temperature that seals",
        group: "sealer",
      },
      () => SEALING_BAND.low,
    );
    s.number(
      {
        name: "sealingBandHigh",
        dataType: "REAL",
        unit: "°C",
        description: "Highest temperature before the film burns",
        group: "sealer",
      },
      () => SEALING_BAND.high,
    );
  }

  protected update(context: TickContext): void {
    const { now, tickMs, tickS } = context;
    const operating = this.operating;
    const { feeder, outfeed } = this.neighbours;
    operating.update(now, tickMs, context.period, outfeed.full ? "BLOCKED" : feeder.running ? "OK" : "STARVED");
    const state = operating.state;
    const running = state === "RUNNING";
    const rate = running ? this.speedSetpoint : 0;

    const sealing = this.heat(context, running || state === "SETUP" || context.period.kind !== "OFF", rate);
    this.measuredSealing = sealing + 0.3 * this.rng.gaussian();

    if (running) {
      this.progress += (tickS * rate) / 60;
      if (this.progress >= 1) {
        this.progress -= 1;
        this.makePack(now, sealing);
      }
    }
    this.updateTension(tickS, rate);

    const shaftKw = running ? 0.5 + (3.5 * rate) / RATED_PACKS_PER_MIN : state === "IDLE" ? 0 : 0.2;
    const draw = motorDraw(5.5, shaftKw, this.draw);
    this.activeKw = draw.activeKw + this.heaterW / 1000;
    this.reactiveKvar = draw.reactiveKvar;
    this.airNlpm = running ? 400 : 0;

    const outside = sealing < SEALING_BAND.low || sealing > SEALING_BAND.high;
    this.outOfBandMs = running && outside ? this.outOfBandMs + tickMs : 0;
    const inside = sealing > SEALING_BAND.low + 0.5 && sealing < SEALING_BAND.high - 0.5;
    if (this.outOfBandMs >= 5000) {
      this.outOfBand.set(true, now, `Sealing at ${sealing.toFixed(1)} °C while packing`, sealing);
    } else if (this.outOfBand.active && (inside || !running)) {
      this.outOfBand.set(false, now, `Sealing at ${sealing.toFixed(1)} °C`, sealing);
    }
  }

  /** A PI controller on the heater, against losses to the hall and to the film running through. */
  private heat(context: TickContext, enabled: boolean, rate: number): number {
    const maxW = this.weakHeater.active ? WEAK_HEATER_W : HEATER_W;
    const error = this.sealingSetpoint - this.jaw.temperature;
    if (enabled) {
      // Anti-windup: the integral stays within what the heater can deliver.
      this.integralW = clamp(this.integralW + KI_W_PER_K_S * error * context.tickS, 0, maxW);
      this.heaterW = clamp(KP_W_PER_K * error + this.integralW, 0, maxW);
    } else {
      this.integralW = 0;
      this.heaterW = 0;
    }
    const loss = JAW_LOSS_W_PER_K + (FILM_LOSS_W_PER_K * rate) / 45;
    return this.jaw.update(this.heaterW, loss, context.ambientC, context.tickS);
  }

  private makePack(now: number, sealing: number): void {
    this.packsMade = (this.packsMade + 1) >>> 0;
    const slack = Math.abs(this.tension.value - this.filmTensionSetpoint) > 10 ? 0.05 : 0;
    if (this.rng.chance(sealRejectProbability(sealing) + slack)) this.rejectCount = (this.rejectCount + 1) >>> 0;
    else this.goodCount = (this.goodCount + 1) >>> 0;
    this.filmRemaining -= FILM_PER_PACK_M;
    if (this.filmRemaining < FILM_PER_PACK_M) {
      this.filmRemaining = REEL_M;
      this.operating.stop(now, "SETUP", "MATERIAL", this.rng.logNormalBetween(REEL_CHANGE.minMs, REEL_CHANGE.maxMs));
    }
  }

  /** The dancer holds tension; an emptying reel turns faster and its out-of-round shows as a growing ripple. */
  private updateTension(tickS: number, rate: number): void {
    const filmSpeed = (rate / 60) * FILM_PER_PACK_M;
    const radius = Math.sqrt(CORE_RADIUS_M ** 2 + (this.filmRemaining * FILM_THICKNESS_M) / Math.PI);
    this.reelAngle = (this.reelAngle + (filmSpeed / radius) * tickS) % (2 * Math.PI);
    const ripple = filmSpeed > 0 ? (0.5 + 3 * (1 - this.filmRemaining / REEL_M)) * Math.sin(this.reelAngle) : 0;
    const target = filmSpeed > 0 ? this.filmTensionSetpoint + ripple : 0.6 * this.filmTensionSetpoint;
    this.measuredTension = this.tension.update(target) + 0.4 * this.rng.gaussian();
  }
}

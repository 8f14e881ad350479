// The physics the machines are made of: first-order lags, thermal masses, rate limits, motors, stroke profiles.

/** A first-order lag with a fixed tick: the decay factor is computed once, so an update is one multiply-add. */
export class Lag {
  value: number;
  private readonly keep: number;

  constructor(tauS: number, tickS: number, initial: number) {
    this.value = initial;
    // Exact discretization of dy/dt = (target - y) / tau for a target held over the tick.
    this.keep = Math.exp(-tickS / tauS);
  }

  update(target: number): number {
    this.value = target + (this.value - target) * this.keep;
    return this.value;
  }
}

/**
 * A lumped thermal mass exchanging heat with its surroundings: C dT/dt = heat − loss · (T − ambient).
 * Loss may change from tick to tick (a cooler fan switching, a failed cooler), so the decay is computed per update.
 */
export class ThermalMass {
  temperature: number;
  private readonly capacityJPerK: number;
  /** Loss rarely changes between ticks: remember the last decay factor rather than calling exp every tick. */
  private lastLoss = Number.NaN;
  private lastTickS = Number.NaN;
  private keep = 0;

  constructor(capacityJPerK: number, initialC: number) {
    this.capacityJPerK = capacityJPerK;
    this.temperature = initialC;
  }

  update(heatW: number, lossWPerK: number, ambientC: number, tickS: number): number {
    const steady = ambientC + heatW / lossWPerK;
    if (lossWPerK !== this.lastLoss || tickS !== this.lastTickS) {
      this.lastLoss = lossWPerK;
      this.lastTickS = tickS;
      this.keep = Math.exp((-tickS * lossWPerK) / this.capacityJPerK);
    }
    this.temperature = steady + (this.temperature - steady) * this.keep;
    return this.temperature;
  }
}

/** Moves `current` toward `target` by at most `maxStep`: a drive ramping its speed, an axis with a speed limit. */
export function rampTo(current: number, target: number, maxStep: number): number {
  if (target > current + maxStep) return current + maxStep;
  if (target < current - maxStep) return current - maxStep;
  return target;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/** Smooth 0→1 over x in [0, 1] with zero slope at both ends: how a cam or a motion profile moves. */
export function smoothStep(x: number): number {
  const t = clamp(x, 0, 1);
  return t * t * (3 - 2 * t);
}

const SQRT3 = Math.sqrt(3);

/** What a three-phase induction motor draws from the grid at a given shaft load. */
export interface MotorDraw {
  /** Active power (kW). */
  activeKw: number;
  /** Reactive power (kvar): magnetizing current, large at light load, which is why the line's power factor sags. */
  reactiveKvar: number;
  /** Line current at 400 V (A). */
  currentA: number;
}

/**
 * Electrical draw of an induction motor rated `ratedKw` delivering `shaftKw`: efficiency and power factor both fall at
 * light load, as on a real nameplate curve (about 0.85 power factor at rated load, near 0.2 when idling).
 */
export function motorDraw(ratedKw: number, shaftKw: number, into: MotorDraw): MotorDraw {
  if (shaftKw <= 0) {
    into.activeKw = 0;
    into.reactiveKvar = 0;
    into.currentA = 0;
    return into;
  }
  const load = clamp(shaftKw / ratedKw, 0, 1.5);
  const efficiency = 0.9 - 0.25 * (1 - Math.min(load, 1)) ** 3;
  const powerFactor = 0.2 + 0.65 * Math.sqrt(Math.min(load, 1));
  const activeKw = shaftKw / efficiency;
  into.activeKw = activeKw;
  into.reactiveKvar = (activeKw * Math.sqrt(1 - powerFactor * powerFactor)) / powerFactor;
  into.currentA = (activeKw * 1000) / (SQRT3 * 400 * powerFactor);
  return into;
}

// Environment node (MQTT Sparkplug B): hall climate and the compressed-air network the line draws on.
import { Lag } from "./dynamics.ts";
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState } from "./state.ts";

const HOUR_MS = 3_600_000;
/** Compressor switching band (bar): load at the lower limit, unload at the upper one. */
const LOAD_BAR = 6.5;
const UNLOAD_BAR = 7.5;
const COMPRESSOR_NLPM = 2400;
/** Receiver plus pipework (litres): sets how fast pressure moves for a given flow imbalance. */
const NETWORK_L = 1500;
/** Leaks of a well-kept network at 7 bar (normal litres per minute). */
const LEAK_NLPM = 150;
const BIG_LEAK_NLPM = 3000;
const LOW_AIR_BAR = 5.5;
const LOW_AIR_CLEAR_BAR = 6;

/** Density of saturated water vapour (g/m³) at `celsius`, from the Magnus formula. */
export function saturationDensity(celsius: number): number {
  const pressureHpa = 6.112 * Math.exp((17.62 * celsius) / (243.12 + celsius));
  return (216.74 * pressureHpa) / (273.15 + celsius);
}

/** Outdoor temperature: a daily swing, coldest before dawn (03:00 UTC) and warmest mid-afternoon. */
function outdoorC(now: number, mean: number): number {
  const hour = (now % (24 * HOUR_MS)) / HOUR_MS;
  return mean + 5 * Math.sin((2 * Math.PI * (hour - 9)) / 24);
}

export class Environment extends Machine {
  hallTemperature: number;
  humidity = 0;
  airPressure: number;
  compressorRunning = false;
  private readonly hall: Lag;
  private readonly outdoorMean: number;
  /** Absolute humidity (g/m³) wanders slowly with the weather; relative humidity follows from the hall temperature. */
  private absoluteHumidity: number;
  private readonly humidityMean: number;
  private measuredHall: number;
  private measuredAir: number;
  private readonly leak = this.fault("air-leak", "A hose bursts: air pressure falls below its alarm within minutes");
  private readonly lowAir = this.alarm("AIR_PRESSURE_LOW", 700, `Compressed air at or below ${LOW_AIR_BAR} bar`);

  constructor(deps: MachineDeps) {
    const { rng, context } = deps;
    super(
      { id: "ENV1", name: "Environment node", kind: "environment", description: "Hall climate and compressed air" },
      deps,
      new OperatingState({ followsCalendar: false }, rng, context.period, context.now),
    );
    this.outdoorMean = rng.uniform(6, 16);
    this.hallTemperature = this.hallTarget(context.now, 0);
    this.hall = new Lag(2400, context.tickS, this.hallTemperature);
    this.measuredHall = this.hallTemperature;
    this.humidityMean = rng.uniform(7, 10);
    this.absoluteHumidity = this.humidityMean;
    this.airPressure = rng.uniform(LOAD_BAR, UNLOAD_BAR);
    this.measuredAir = this.airPressure;
    this.humidity = this.relativeHumidity();
    this.defineSignals();
  }

  private defineSignals(): void {
    const s = this.table;
    s.number(
      {
        name: "hallTemperature",
        dataType: "REAL",
        unit: "°C",
        description: "Air temperature in the production hall",
        range: { min: -10, max: 50 },
        group: "climate",
      },
      () => this.measuredHall,
    );
    s.number(
      {
        name: "humidity",
        dataType: "REAL",
        unit: "%",
        description: "Relative humidity in the hall",
        range: { min: 0, max: 100 },
        group: "climate",
      },
      () => this.humidity,
    );
    s.number(
      {
        name: "airPressure",
        dataType: "REAL",
        unit: "bar",
        description: "Compressed-air network pressure (gauge)",
        range: { min: 0, max: 10 },
        group: "air",
      },
      () => this.measuredAir,
    );
    s.bool(
      { name: "compressorRunning", dataType: "BOOL", unit: "", description: "Compressor loaded", group: "air" },
      () => this.compressorRunning,
    );
  }

  /** Where the hall settles: HVAC holds about 20 °C, the weather pulls a quarter, the line's waste heat adds. */
  private hallTarget(now: number, lineKw: number): number {
    return 19.5 + 0.25 * (outdoorC(now, this.outdoorMean) - this.outdoorMean) + 0.05 * lineKw;
  }

  private relativeHumidity(): number {
    return Math.min(100, (100 * this.absoluteHumidity) / saturationDensity(this.hallTemperature));
  }

  protected update(context: TickContext): void {
    const { now, tickS } = context;
    const rng = this.rng;
    this.operating.update(now, context.tickMs, context.period, "OK");
    this.hallTemperature = this.hall.update(this.hallTarget(now, context.lineActiveKw));
    this.measuredHall = this.hallTemperature + 0.05 * rng.gaussian();
    // Ornstein–Uhlenbeck with a three-hour memory and about 0.8 g/m³ of spread.
    this.absoluteHumidity +=
      ((this.humidityMean - this.absoluteHumidity) * tickS) / 10_800 + 0.0109 * Math.sqrt(tickS) * rng.gaussian();
    this.humidity = this.relativeHumidity();

    if (this.airPressure <= LOAD_BAR) this.compressorRunning = true;
    else if (this.airPressure >= UNLOAD_BAR) this.compressorRunning = false;
    // Leaks blow harder at higher pressure.
    const leaks = ((this.leak.active ? BIG_LEAK_NLPM : 0) + LEAK_NLPM) * (this.airPressure / 7);
    const inflow = this.compressorRunning ? COMPRESSOR_NLPM : 0;
    this.airPressure = Math.max(
      0,
      this.airPressure + ((inflow - leaks - context.lineAirNlpm) * tickS) / 60 / NETWORK_L,
    );
    this.measuredAir = this.airPressure + 0.01 * rng.gaussian();
    this.lowAir.below(this.airPressure, LOW_AIR_BAR, LOW_AIR_CLEAR_BAR, now, "Air pressure", "bar");
  }
}

// Palletizer L1 (Allen-Bradley Logix): stacks packs into layers and layers into pallets, one pallet every N packs.
import { Machine, type MachineDeps, type TickContext } from "./machine.ts";
import { OperatingState, type StatePolicy } from "./state.ts";

const MINUTE = 60_000;
/** Packs per second the layer former can take: faster than the packer, so the infeed queue drains after a stop. */
const PACKS_PER_S = 3;
/** Accumulation conveyor in front of the palletizer; when full, the packer has nowhere to put its packs. */
export const INFEED_CAPACITY = 200;
/** Logix DINTs are signed: counters wrap at 2^31 rather than going negative, which no consumer would expect. */
const DINT_WRAP = 2 ** 31;

export const PALLETIZER_POLICY: StatePolicy = {
  followsCalendar: true,
  changeover: { minMs: 3 * MINUTE, maxMs: 8 * MINUTE },
  breakdown: { meanRunMs: 600 * MINUTE, duration: { minMs: 5 * MINUTE, maxMs: 25 * MINUTE } },
  starveAfterMs: 90_000,
};
export const PALLET_CHANGE = { minMs: 10_000, maxMs: 25_000 };

/** Where packs come from: the packer's good-pack counter, read as a running total. */
export interface PackSource {
  readonly goodCount: number;
}

export class Palletizer extends Machine {
  packsPerLayer = 8;
  layersPerPallet = 5;
  packsOnLayer = 0;
  layerCount = 0;
  palletsComplete = 0;
  packsPalletized = 0;
  infeedQueue = 0;
  private lastSourceCount: number;
  private progress = 0;
  /** Time left for the finished pallet to leave and an empty one to come in (ms); layers wait meanwhile. */
  private changeMs = 0;
  private readonly source: PackSource;

  constructor(deps: MachineDeps, source: PackSource) {
    const { rng, context } = deps;
    super(
      { id: "L1", name: "Palletizer L1", kind: "palletizer", description: "Layer palletizer at the end of the line" },
      deps,
      new OperatingState(PALLETIZER_POLICY, rng, context.period, context.now),
    );
    this.source = source;
    this.lastSourceCount = source.goodCount;
    this.defineSignals();
  }

  get full(): boolean {
    return this.infeedQueue >= INFEED_CAPACITY;
  }

  private defineSignals(): void {
    const s = this.table;
    s.number(
      { name: "layerCount", dataType: "DINT", unit: "", description: "Layers on the current pallet", group: "pallet" },
      () => this.layerCount,
    );
    s.number(
      {
        name: "packsOnLayer",
        dataType: "DINT",
        unit: "",
        description: "Packs on the layer being formed",
        group: "pallet",
      },
      () => this.packsOnLayer,
    );
    s.number(
      { name: "palletsComplete", dataType: "DINT", unit: "", description: "Pallets completed", group: "pallet" },
      () => this.palletsComplete,
    );
    s.number(
      { name: "packsPalletized", dataType: "DINT", unit: "", description: "Packs placed on pallets", group: "pallet" },
      () => this.packsPalletized,
    );
    s.number(
      {
        name: "infeedQueue",
        dataType: "DINT",
        unit: "",
        description: `Packs waiting on the accumulation conveyor (it holds ${INFEED_CAPACITY})`,
        group: "pallet",
      },
      () => this.infeedQueue,
    );
    s.number(
      {
        name: "packsPerLayer",
        dataType: "DINT",
        unit: "",
        description: "Recipe: packs per layer",
        range: { min: 1, max: 24 },
        group: "recipe",
      },
      () => this.packsPerLayer,
      (value) => {
        this.packsPerLayer = value;
      },
    );
    s.number(
      {
        name: "layersPerPallet",
        dataType: "DINT",
        unit: "",
        description: "Recipe: layers per pallet",
        range: { min: 1, max: 12 },
        group: "recipe",
      },
      () => this.layersPerPallet,
      (value) => {
        this.layersPerPallet = value;
      },
    );
  }

  protected update(context: TickContext): void {
    const { now, tickMs, tickS } = context;
    const produced = this.source.goodCount;
    // Unsigned difference, so the packer's counter wrapping past 2^32 still counts as +1.
    const arrived = (produced - this.lastSourceCount) >>> 0;
    this.lastSourceCount = produced;
    this.infeedQueue += arrived;

    const operating = this.operating;
    operating.update(now, tickMs, context.period, this.infeedQueue > 0 || this.changeMs > 0 ? "OK" : "STARVED");
    const running = operating.running;
    let moving = false;
    if (running && this.changeMs > 0) {
      this.changeMs -= tickMs;
      moving = true;
    } else if (running && this.infeedQueue > 0) {
      moving = true;
      this.progress += tickS * PACKS_PER_S;
      while (this.progress >= 1 && this.infeedQueue > 0 && this.changeMs <= 0) {
        this.progress -= 1;
        this.placePack();
      }
    } else {
      this.progress = 0;
    }
    this.activeKw = moving ? 2.5 : running ? 0.4 : 0.1;
    this.reactiveKvar = this.activeKw * 0.6;
  }

  private placePack(): void {
    this.infeedQueue -= 1;
    this.packsPalletized = (this.packsPalletized + 1) % DINT_WRAP;
    this.packsOnLayer += 1;
    if (this.packsOnLayer < this.packsPerLayer) return;
    this.packsOnLayer = 0;
    this.layerCount += 1;
    if (this.layerCount < this.layersPerPallet) return;
    this.layerCount = 0;
    this.palletsComplete = (this.palletsComplete + 1) % DINT_WRAP;
    this.changeMs = this.rng.logNormalBetween(PALLET_CHANGE.minMs, PALLET_CHANGE.maxMs);
  }
}

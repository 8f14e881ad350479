// The demo plant's Modbus register map: one unit id per machine and the PLC4X address of every signal, fixed by hand.
import type { UnitTable } from "./register-map.ts";

/**
 * The status block every unit starts with, so one connector job can read the state of any machine. Addresses are the
 * 1-based ones of PLC4X tags (`input-register:1` is register 0 on the wire).
 */
const STATUS = {
  sequence: "input-register:1:UDINT",
  state: "input-register:3:INT",
  stopReason: "input-register:4:INT",
} as const;

/*
 * The layout follows how vendors write maps: the status block at 1, then one block of ten registers per group of
 * signals (11, 21, 31, ...), measurements in input registers and the group's setpoints at the same offset in holding
 * registers, BOOL sensors in discrete inputs. Registers between blocks are left unmapped, as in real devices, so a
 * read optimizer has to decide whether a gap may be bridged. Addresses never move once published: a new signal takes
 * a free address, it does not shift the others.
 */

/** Conveyor C1: the gateway's first device, as in the demo plant. */
const CONVEYOR: UnitTable = {
  unitId: 1,
  machine: "C1",
  addresses: {
    ...STATUS,
    beltSpeed: "input-register:11:REAL",
    motorCurrent: "input-register:13:REAL",
    vibration: "input-register:21:REAL",
    jam: "discrete-input:1",
    beltSpeedSetpoint: "holding-register:11:REAL",
  },
};

/** Energy meter E1: the second device on the same gateway. */
const ENERGY_METER: UnitTable = {
  unitId: 2,
  machine: "E1",
  addresses: {
    ...STATUS,
    voltageL1: "input-register:11:REAL",
    voltageL2: "input-register:13:REAL",
    voltageL3: "input-register:15:REAL",
    frequency: "input-register:17:REAL",
    currentL1: "input-register:21:REAL",
    currentL2: "input-register:23:REAL",
    currentL3: "input-register:25:REAL",
    activePower: "input-register:31:REAL",
    powerFactor: "input-register:33:REAL",
    energy: "input-register:41:REAL",
  },
};

/* The other machines speak other protocols in the plant; they are on the gateway too so tests and benchmarks can reach
 * every signal over Modbus. */

const PRESS: UnitTable = {
  unitId: 3,
  machine: "P1",
  addresses: {
    ...STATUS,
    strokes: "input-register:11:UDINT",
    goodCount: "input-register:13:UDINT",
    rejectCount: "input-register:15:UDINT",
    idealCycleTime: "input-register:17:REAL",
    pressure: "input-register:21:REAL",
    oilTemperature: "input-register:23:REAL",
    motorCurrent: "input-register:25:REAL",
    pressureSetpoint: "holding-register:21:REAL",
    ramPosition: "input-register:31:REAL",
  },
};

const ROBOT: UnitTable = {
  unitId: 4,
  machine: "R1",
  addresses: {
    ...STATUS,
    cycleTime: "input-register:11:REAL",
    idealCycleTime: "input-register:13:REAL",
    gripperClosed: "discrete-input:1",
    speedOverride: "holding-register:11:REAL",
    programName: "holding-register:21:STRING(32)",
    goodCount: "input-register:21:UDINT",
    rejectCount: "input-register:23:UDINT",
    jointTemperatures: "input-register:31:REAL[6]",
  },
};

const PACKER: UnitTable = {
  unitId: 5,
  machine: "K1",
  addresses: {
    ...STATUS,
    packsMade: "input-register:11:UDINT",
    goodCount: "input-register:13:UDINT",
    rejectCount: "input-register:15:UDINT",
    idealCycleTime: "input-register:17:REAL",
    speedSetpoint: "holding-register:11:REAL",
    filmTension: "input-register:21:REAL",
    filmRemaining: "input-register:23:REAL",
    filmTensionSetpoint: "holding-register:21:REAL",
    sealingTemperature: "input-register:31:REAL",
    sealingBandLow: "input-register:33:REAL",
    sealingBandHigh: "input-register:35:REAL",
    sealingSetpoint: "holding-register:31:REAL",
  },
};

const PALLETIZER: UnitTable = {
  unitId: 6,
  machine: "L1",
  addresses: {
    ...STATUS,
    layerCount: "input-register:11:DINT",
    packsOnLayer: "input-register:13:DINT",
    palletsComplete: "input-register:15:DINT",
    packsPalletized: "input-register:17:DINT",
    infeedQueue: "input-register:19:DINT",
    packsPerLayer: "holding-register:21:DINT",
    layersPerPallet: "holding-register:23:DINT",
  },
};

const ENVIRONMENT: UnitTable = {
  unitId: 7,
  machine: "ENV1",
  addresses: {
    ...STATUS,
    hallTemperature: "input-register:11:REAL",
    humidity: "input-register:13:REAL",
    airPressure: "input-register:21:REAL",
    compressorRunning: "discrete-input:1",
  },
};

/** Every unit on the simulator's Modbus TCP gateway, by unit id. */
export const PLANT_MODBUS_MAP: readonly UnitTable[] = [
  CONVEYOR,
  ENERGY_METER,
  PRESS,
  ROBOT,
  PACKER,
  PALLETIZER,
  ENVIRONMENT,
];

// The demo plant's S7 map: one DB per machine and the PLC4X address of every signal, and the sensors in the inputs.
import type { DbTable } from "./db-map.ts";

/*
 * The simulator's S7 face is one S7-1500 CPU. Each machine has a data block laid out as a non-optimized DB is: the
 * status block first (sequence, state, stop reason), then one structure per group of signals, setpoints beside the
 * measurements they steer. BOOL sensors are also wired to the process image of the inputs, as real sensors are and as
 * a PLC program copies them into its DBs. Addresses never move once published: a new signal takes a free byte.
 */

const STATUS = {
  sequence: "%DB{db}.DBD0:UDINT",
  state: "%DB{db}.DBW4:INT",
  stopReason: "%DB{db}.DBW6:INT",
} as const;

function withDb(db: number, addresses: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(addresses).map(([signal, address]) => [signal, address.replace("{db}", String(db))]),
  );
}

/** Press P1, the plant's S7-1500 machine: DB1. */
const PRESS: DbTable = {
  machine: "P1",
  db: 1,
  addresses: withDb(1, {
    ...STATUS,
    strokes: "%DB1.DBD8:UDINT",
    goodCount: "%DB1.DBD12:UDINT",
    rejectCount: "%DB1.DBD16:UDINT",
    idealCycleTime: "%DB1.DBD20:REAL",
    pressure: "%DB1.DBD24:REAL",
    pressureSetpoint: "%DB1.DBD28:REAL",
    oilTemperature: "%DB1.DBD32:REAL",
    motorCurrent: "%DB1.DBD36:REAL",
    ramPosition: "%DB1.DBD40:REAL",
  }),
};

const CONVEYOR: DbTable = {
  machine: "C1",
  db: 2,
  addresses: withDb(2, {
    ...STATUS,
    beltSpeed: "%DB2.DBD8:REAL",
    beltSpeedSetpoint: "%DB2.DBD12:REAL",
    motorCurrent: "%DB2.DBD16:REAL",
    vibration: "%DB2.DBD20:REAL",
    jam: "%DB2.DBX24.0:BOOL",
  }),
  inputs: { jam: "%I0.0" },
};

const ENERGY_METER: DbTable = {
  machine: "E1",
  db: 3,
  addresses: withDb(3, {
    ...STATUS,
    voltageL1: "%DB3.DBD8:REAL",
    voltageL2: "%DB3.DBD12:REAL",
    voltageL3: "%DB3.DBD16:REAL",
    frequency: "%DB3.DBD20:REAL",
    currentL1: "%DB3.DBD24:REAL",
    currentL2: "%DB3.DBD28:REAL",
    currentL3: "%DB3.DBD32:REAL",
    activePower: "%DB3.DBD36:REAL",
    powerFactor: "%DB3.DBD40:REAL",
    energy: "%DB3.DBD44:REAL",
  }),
};

const ROBOT: DbTable = {
  machine: "R1",
  db: 4,
  addresses: withDb(4, {
    ...STATUS,
    cycleTime: "%DB4.DBD8:REAL",
    idealCycleTime: "%DB4.DBD12:REAL",
    speedOverride: "%DB4.DBD16:REAL",
    gripperClosed: "%DB4.DBX20.0:BOOL",
    goodCount: "%DB4.DBD22:UDINT",
    rejectCount: "%DB4.DBD26:UDINT",
    jointTemperatures: "%DB4.DBD30:REAL[6]",
    programName: "%DB4.DBX54:STRING(32)",
  }),
  inputs: { gripperClosed: "%I0.1" },
};

const PACKER: DbTable = {
  machine: "K1",
  db: 5,
  addresses: withDb(5, {
    ...STATUS,
    packsMade: "%DB5.DBD8:UDINT",
    goodCount: "%DB5.DBD12:UDINT",
    rejectCount: "%DB5.DBD16:UDINT",
    idealCycleTime: "%DB5.DBD20:REAL",
    speedSetpoint: "%DB5.DBD24:REAL",
    filmTension: "%DB5.DBD28:REAL",
    filmTensionSetpoint: "%DB5.DBD32:REAL",
    filmRemaining: "%DB5.DBD36:REAL",
    sealingTemperature: "%DB5.DBD40:REAL",
    sealingSetpoint: "%DB5.DBD44:REAL",
    sealingBandLow: "%DB5.DBD48:REAL",
    sealingBandHigh: "%DB5.DBD52:REAL",
  }),
};

const PALLETIZER: DbTable = {
  machine: "L1",
  db: 6,
  addresses: withDb(6, {
    ...STATUS,
    layerCount: "%DB6.DBD8:DINT",
    packsOnLayer: "%DB6.DBD12:DINT",
    palletsComplete: "%DB6.DBD16:DINT",
    packsPalletized: "%DB6.DBD20:DINT",
    infeedQueue: "%DB6.DBD24:DINT",
    packsPerLayer: "%DB6.DBD28:DINT",
    layersPerPallet: "%DB6.DBD32:DINT",
  }),
};

const ENVIRONMENT: DbTable = {
  machine: "ENV1",
  db: 7,
  addresses: withDb(7, {
    ...STATUS,
    hallTemperature: "%DB7.DBD8:REAL",
    humidity: "%DB7.DBD12:REAL",
    airPressure: "%DB7.DBD16:REAL",
    compressorRunning: "%DB7.DBX20.0:BOOL",
  }),
  inputs: { compressorRunning: "%I0.2" },
};

/** Every machine's DB on the simulator's S7 CPU, the press first. */
export const PLANT_S7_MAP: readonly DbTable[] = [PRESS, CONVEYOR, ENERGY_METER, ROBOT, PACKER, PALLETIZER, ENVIRONMENT];

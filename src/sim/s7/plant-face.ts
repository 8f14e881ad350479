// Builds the plant's S7 CPU from the DB map: each table checked against its machine's signals.
import type { Plant, PlantInfo } from "../model/plant.ts";
import type { SignalInfo } from "../model/signal.ts";
import { SimulatedCpu } from "./cpu.ts";
import { buildDbMap, type DbMap, type DbTable } from "./db-map.ts";
import { S7MapError } from "./errors.ts";
import { PLANT_S7_MAP } from "./plant-map.ts";

/** The plant's DB maps, checked against the machines' signals (a description of the plant is enough). */
export function plantDbMaps(info: PlantInfo, tables: readonly DbTable[] = PLANT_S7_MAP): DbMap<SignalInfo>[] {
  return dbMaps(info.machines, tables);
}

/** The S7 CPU serving every machine of `plant` in the DBs of the map. */
export function createPlantCpu(plant: Plant, tables: readonly DbTable[] = PLANT_S7_MAP): SimulatedCpu {
  return new SimulatedCpu(dbMaps(plant.machines, tables));
}

function dbMaps<S extends SignalInfo>(
  machines: readonly { readonly id: string; readonly signals: readonly S[] }[],
  tables: readonly DbTable[],
): DbMap<S>[] {
  const dbs = new Set<number>();
  return tables.map((table) => {
    const machine = machines.find((m) => m.id === table.machine);
    if (machine === undefined) throw new S7MapError(table.machine, undefined, "the plant has no such machine");
    if (dbs.has(table.db)) throw new S7MapError(table.machine, undefined, `DB${table.db} is given to two machines`);
    dbs.add(table.db);
    return buildDbMap(table, machine.signals);
  });
}

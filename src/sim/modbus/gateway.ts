// The simulator's Modbus TCP gateway: routes each request frame to the unit it names and builds the response frame.
import { ModbusPduError } from "../../plc/modbus/errors.ts";
import { type Adu, encodeAdu } from "../../plc/modbus/mbap.ts";
import { EXCEPTION, type ExceptionResponse, exceptionResponseFor } from "../../plc/modbus/messages/exception.ts";
import { decodeRequest, encodeResponse, type ModbusResponse } from "../../plc/modbus/pdu.ts";
import type { Plant, PlantInfo } from "../model/plant.ts";
import type { SignalInfo } from "../model/signal.ts";
import { ModbusFaceOptionError, RegisterMapError } from "./errors.ts";
import { PLANT_MODBUS_MAP } from "./plant-map.ts";
import { buildUnitMap, type UnitMap, type UnitTable } from "./register-map.ts";
import { ModbusUnit, type UnitOptions } from "./unit.ts";

/** Counts of what the gateway answered, for tests and benchmarks. */
export interface GatewayStats {
  requests: number;
  exceptions: number;
}

/**
 * Several units behind one address, as a Modbus TCP gateway in front of serial devices is. A request for a unit id no
 * device has is answered with GATEWAY TARGET DEVICE FAILED TO RESPOND (0x0B), as a gateway does once its serial-line
 * timeout expires; answering at once (rather than staying silent) spares clients a timeout per probe.
 */
export class ModbusGateway {
  readonly stats: GatewayStats = { requests: 0, exceptions: 0 };
  private readonly units = new Map<number, ModbusUnit>();

  constructor(units: readonly ModbusUnit[]) {
    for (const unit of units) {
      if (this.units.has(unit.unitId)) {
        throw new ModbusFaceOptionError("units", `unit id ${unit.unitId} is given to two machines`);
      }
      this.units.set(unit.unitId, unit);
    }
  }

  /** The units, by unit id. */
  get unitIds(): number[] {
    return [...this.units.keys()].sort((a, b) => a - b);
  }

  unit(unitId: number): ModbusUnit | undefined {
    return this.units.get(unitId);
  }

  /** The response frame to one request frame; the transaction and unit ids are echoed. */
  answer(adu: Adu): Uint8Array {
    const { transactionId, unitId } = adu;
    const response = this.respond(adu);
    this.stats.requests++;
    if ("exceptionCode" in response) this.stats.exceptions++;
    return encodeAdu({ transactionId, unitId, pdu: encodeResponse(response) });
  }

  private respond(adu: Adu): ModbusResponse | ExceptionResponse {
    const functionCode = adu.pdu[0]! & 0x7f;
    const unit = this.units.get(adu.unitId);
    if (unit === undefined) return { functionCode, exceptionCode: EXCEPTION.GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND };
    try {
      return unit.handle(decodeRequest(adu.pdu));
    } catch (error) {
      if (error instanceof ModbusPduError) return exceptionResponseFor(error);
      // A bug behind this request must not take the other clients' server down; the client learns the device failed.
      return { functionCode, exceptionCode: EXCEPTION.SERVER_DEVICE_FAILURE };
    }
  }
}

/** The plant's map, checked against the machines' signals (no plant needed: `plant.describe()` is enough). */
export function plantUnitMaps(info: PlantInfo, tables: readonly UnitTable[] = PLANT_MODBUS_MAP): UnitMap<SignalInfo>[] {
  return unitMaps(info.machines, tables);
}

/** The gateway serving every machine of `plant` on the unit ids of the register map. */
export function createPlantGateway(
  plant: Plant,
  options: UnitOptions = {},
  tables: readonly UnitTable[] = PLANT_MODBUS_MAP,
): ModbusGateway {
  return new ModbusGateway(unitMaps(plant.machines, tables).map((map) => new ModbusUnit(map, options)));
}

/** Each table checked against the signals of its machine: descriptions for listings, live signals for serving. */
function unitMaps<S extends SignalInfo>(
  machines: readonly { readonly id: string; readonly signals: readonly S[] }[],
  tables: readonly UnitTable[],
): UnitMap<S>[] {
  return tables.map((table) => {
    const machine = machines.find((m) => m.id === table.machine);
    if (machine === undefined) throw new RegisterMapError(table.machine, undefined, "the plant has no such machine");
    return buildUnitMap(table, machine.signals);
  });
}

// The simulator's Modbus TCP face: what the runner, benchmarks and tests import to serve the plant over Modbus.
export type { ModbusFaceErrorCode } from "./errors.ts";
export { ModbusFaceError, ModbusFaceOptionError, RegisterMapError } from "./errors.ts";
export type { GatewayStats } from "./gateway.ts";
export { createPlantGateway, ModbusGateway, plantUnitMaps } from "./gateway.ts";
export { PLANT_MODBUS_MAP } from "./plant-map.ts";
export type { MapEntry, MappedArea, UnitMap, UnitTable } from "./register-map.ts";
export { buildUnitMap, MAPPED_AREAS } from "./register-map.ts";
export type { ModbusServerOptions, ModbusServerStats } from "./server.ts";
export {
  DEFAULT_MODBUS_HOST,
  DEFAULT_MODBUS_PORT,
  listenModbus,
  MAX_LATENCY_MS,
  ModbusTcpServer,
} from "./server.ts";
export type { UnitOptions } from "./unit.ts";
export { ModbusUnit } from "./unit.ts";

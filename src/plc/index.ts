// `fabrik/plc`: connect to PLCs by PLC4X URL, read, write and subscribe to tags by PLC4X address.
import type { PlcConnection } from "./driver.ts";
import { createModbusTcpDriver } from "./modbus/driver.ts";
import { type ConnectOptions, DriverRegistry } from "./registry.ts";
import { createS7Driver } from "./s7/driver.ts";
import { createSimulatedDriver } from "./simulated/driver.ts";
import type { ConnectionUrl } from "./url.ts";

export {
  type DataTypeSpec,
  type DataTypeSpecRules,
  formatDataTypeSpec,
  MAX_ELEMENT_COUNT,
  MAX_STRING_LENGTH,
  parseDataTypeSpec,
  parseElementCount,
} from "./data-type-spec.ts";
export type {
  BrowseItem,
  ConnectionMetadata,
  Driver,
  DriverConnection,
  DriverContext,
  DriverSubscription,
  ParsedTagWrite,
  PlcConnection,
  ReadResponse,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
  SubscriptionMode,
  TagFailure,
  TagRequest,
  TagWrite,
  WriteRequest,
  WriteResponse,
} from "./driver.ts";
export {
  ConnectionClosedError,
  ConnectionFailedError,
  DuplicateProtocolError,
  InvalidAddressError,
  InvalidOptionError,
  InvalidRequestError,
  InvalidUrlError,
  InvalidValueError,
  PlcError,
  type PlcErrorCode,
  UnknownOptionError,
  UnknownProtocolError,
  UnsupportedOperationError,
} from "./errors.ts";
export {
  MODBUS_AREAS,
  MODBUS_REGISTER_TYPES,
  type ModbusAddress,
  type ModbusArea,
  parseModbusAddress,
} from "./modbus/address.ts";
export { BYTE_ORDERS as MODBUS_BYTE_ORDERS, type ByteOrder as ModbusByteOrder } from "./modbus/register-layout.ts";
export { type ConnectOptions, DriverRegistry } from "./registry.ts";
export * from "./response.ts";
export { AREA_CODE as S7_AREA_CODES, parseS7Address, S7_AREAS, type S7Address, type S7Area } from "./s7/address.ts";
export {
  CONTROLLER_TYPES as S7_CONTROLLER_TYPES,
  type ControllerType as S7ControllerType,
  S7_DATA_TYPES,
  type S7DataType,
} from "./s7/data-types.ts";
export { createS7Driver } from "./s7/driver.ts";
export {
  parseSimulatedAddress,
  SIMULATION_KINDS,
  type SimulatedAddress,
  type SimulationKind,
} from "./simulated/address.ts";
export { createSimulatedDriver, type LineSink, type SimulatedDriverOptions } from "./simulated/driver.ts";
export { errorMessage } from "./unanswered.ts";
export { type ConnectionUrl, parseConnectionUrl, redactUrl, type UrlColumns } from "./url.ts";
export { isSecretOption, type OptionRange, type UrlOption, UrlOptions } from "./url-options.ts";
export { type CoercionResult, coerceValue, describeRange, requireValue } from "./value-coercion.ts";
export * from "./values.ts";

/** The drivers `connect()` uses; register more with `drivers.register(driver)`. */
export const drivers = new DriverRegistry([createSimulatedDriver(), createModbusTcpDriver(), createS7Driver()]);

/** Opens a connection with the default registry: `await connect("simulated://demo")`. */
export function connect(url: string | ConnectionUrl, options?: ConnectOptions): Promise<PlcConnection> {
  return drivers.connect(url, options);
}

// The connection manager: shared connections per device, health, reconnects (manager.ts and the files it uses).
export { Backoff, type BackoffPolicy, DEFAULT_BACKOFF, type RandomSource } from "./backoff.ts";
export { type Cancel, type Deadlined, DeadlineGroup, realSchedule, type Schedule } from "./deadline.ts";
export { type DeviceIdentity, deviceIdentity } from "./device-key.ts";
export {
  DEFAULT_HEALTH_POLICY,
  HEALTH_STATES,
  type HealthChange,
  type HealthEvent,
  type HealthPolicy,
  type HealthSnapshot,
  type HealthState,
} from "./health.ts";
export {
  ConnectionManager,
  type ConnectionManagerOptions,
  defaultDeadlineMs,
  type HealthListener,
  type ManagedConnection,
} from "./manager.ts";

// The plant model's public face: what protocol servers and the `fabrik sim` runner import.
export type { AlarmEvent, AlarmInfo, AlarmListener } from "./alarms.ts";
export type { BreakDefinition, CalendarConfig, ShiftDefinition, ShiftPeriod } from "./calendar.ts";
export { ROUND_THE_CLOCK, ShiftCalendar, THREE_SHIFTS } from "./calendar.ts";
export type { SimModelErrorCode } from "./errors.ts";
export {
  InvalidCalendarError,
  InvalidOptionError,
  ReadOnlySignalError,
  SignalRangeError,
  SignalTypeError,
  SimModelError,
  UnknownFaultError,
  UnknownMachineError,
  UnknownSignalError,
} from "./errors.ts";
export type { FaultInfo, Machine, MachineInfo } from "./machine.ts";
export type { PlantInfo, PlantOptions } from "./plant.ts";
export { DEFAULT_TICK_MS, Plant } from "./plant.ts";
export type { Signal, SignalInfo, SignalRange } from "./signal.ts";
export type { MachineState, StopReason } from "./state.ts";
export { MACHINE_STATES, STOP_REASONS } from "./state.ts";

// The names people use for the protocols in connection URLs (modbus-tcp → Modbus TCP), for labels and badges.

const NAMES: Record<string, string> = {
  "modbus-tcp": "Modbus TCP",
  "modbus-rtu": "Modbus RTU",
  "modbus-ascii": "Modbus ASCII",
  modbus: "Modbus TCP",
  s7: "Siemens S7",
  opcua: "OPC UA",
  "opc-ua": "OPC UA",
  ads: "Beckhoff ADS",
  eip: "EtherNet/IP",
  logix: "Logix (EtherNet/IP)",
  mqtt: "MQTT",
  sparkplug: "Sparkplug B",
  "sparkplug-b": "Sparkplug B",
  simulated: "Simulated",
};

/** The display name of a protocol (its URL scheme); an unknown scheme is shown as it is. */
export function protocolName(protocol: string): string {
  return NAMES[protocol.toLowerCase()] ?? protocol;
}

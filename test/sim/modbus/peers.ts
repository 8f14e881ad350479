// Third-party Modbus TCP clients (modbus-serial, jsmodbus) connected to a simulator, and reading their errors.
import { once } from "node:events";
import { createRequire } from "node:module";
import { Socket } from "node:net";
import Modbus from "jsmodbus";
import type ModbusSerial from "modbus-serial";

/**
 * modbus-serial's module is its client class (`module.exports = ModbusRTU`), but its typings declare an ES default
 * export, which TypeScript's Node ESM rules then place one level too deep; requiring it gives the class its own type.
 */
const ModbusRTU = createRequire(import.meta.url)("modbus-serial") as typeof ModbusSerial.default;
type ModbusRTU = InstanceType<typeof ModbusRTU>;

/** modbus-serial's client, connected to 127.0.0.1:`port` and addressing `unitId`. */
export async function modbusSerial(port: number, unitId: number): Promise<ModbusRTU> {
  const client = new ModbusRTU();
  await client.connectTCP("127.0.0.1", { port });
  client.setID(unitId);
  client.setTimeout(5000);
  return client;
}

export function closeModbusSerial(client: ModbusRTU): Promise<void> {
  return new Promise((resolve) => client.close(() => resolve()));
}

/** The Modbus exception code modbus-serial rejected with (it puts it on the error as `modbusCode`). */
export async function modbusSerialException(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
  } catch (error) {
    return (error as { modbusCode?: number }).modbusCode;
  }
  return undefined;
}

export interface JsModbusPeer {
  readonly client: InstanceType<typeof Modbus.client.TCP>;
  close(): Promise<void>;
}

/** jsmodbus' TCP client on its own socket to 127.0.0.1:`port`, addressing `unitId`. */
export async function jsModbus(port: number, unitId: number): Promise<JsModbusPeer> {
  const socket = new Socket();
  const client = new Modbus.client.TCP(socket, unitId, 5000);
  socket.connect({ host: "127.0.0.1", port });
  await once(socket, "connect");
  return {
    client,
    async close() {
      socket.end();
      if (!socket.closed) await once(socket, "close");
    },
  };
}

/** The Modbus exception code jsmodbus rejected with (a UserRequestError whose response body holds it). */
export async function jsModbusException(request: Promise<unknown>): Promise<number | undefined> {
  try {
    await request;
  } catch (error) {
    const failure = error as { err?: string; response?: { body?: { code?: number } } };
    if (failure.err === "ModbusException") return failure.response?.body?.code;
    throw error;
  }
  return undefined;
}

// Third-party S7 clients (snap7's S7Client, nodes7) connected to a simulator, with promises around their callbacks.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** One item of snap7's ReadMultiVars / WriteMultiVars. */
export interface Snap7Var {
  readonly Area: number;
  readonly WordLen: number;
  readonly DBNumber?: number;
  readonly Start: number;
  readonly Amount: number;
  readonly Data?: Buffer;
}

/** The part of node-snap7's S7Client these tests use (API: node-snap7's doc/client.md). */
interface Snap7ClientApi {
  readonly RemotePort: number;
  readonly S7AreaPE: number;
  readonly S7AreaPA: number;
  readonly S7AreaMK: number;
  readonly S7AreaDB: number;
  readonly S7WLBit: number;
  readonly S7WLByte: number;
  readonly S7WLReal: number;
  SetParam(param: number, value: number): boolean;
  ConnectTo(ip: string, rack: number, slot: number, callback: (error: unknown) => void): void;
  PDULength(): number;
  DBRead(db: number, start: number, size: number, callback: (error: unknown, data: Buffer) => void): void;
  DBWrite(db: number, start: number, size: number, data: Buffer, callback: (error: unknown) => void): void;
  ReadArea(
    area: number,
    db: number,
    start: number,
    amount: number,
    wordLen: number,
    callback: (error: unknown, data: Buffer) => void,
  ): void;
  ReadMultiVars(
    vars: readonly Snap7Var[],
    callback: (error: unknown, result: { Result: number; Data: Buffer | null }[]) => void,
  ): void;
  WriteMultiVars(vars: readonly Snap7Var[], callback: (error: unknown, result: { Result: number }[]) => void): void;
  ErrorText(code: number): string;
  Disconnect(): boolean;
}

const snap7 = require("node-snap7") as { S7Client: new () => Snap7ClientApi };

/** snap7's client, promise-shaped. */
export class Snap7Client {
  readonly api = new snap7.S7Client();

  static async connect(port: number, rack = 0, slot = 1): Promise<Snap7Client> {
    const client = new Snap7Client();
    client.api.SetParam(client.api.RemotePort, port);
    await client.#call<void>((done) => client.api.ConnectTo("127.0.0.1", rack, slot, (error) => done(error)));
    return client;
  }

  dbRead(db: number, start: number, size: number): Promise<Buffer> {
    return this.#call((done) => this.api.DBRead(db, start, size, done));
  }

  dbWrite(db: number, start: number, data: Buffer): Promise<void> {
    return this.#call((done) => this.api.DBWrite(db, start, data.length, data, (error) => done(error)));
  }

  readArea(area: number, db: number, start: number, amount: number, wordLen: number): Promise<Buffer> {
    return this.#call((done) => this.api.ReadArea(area, db, start, amount, wordLen, done));
  }

  readMultiVars(vars: readonly Snap7Var[]): Promise<{ Result: number; Data: Buffer | null }[]> {
    return this.#call((done) => this.api.ReadMultiVars(vars, done));
  }

  writeMultiVars(vars: readonly Snap7Var[]): Promise<{ Result: number }[]> {
    return this.#call((done) => this.api.WriteMultiVars(vars, done));
  }

  close(): void {
    this.api.Disconnect();
  }

  #call<T>(start: (done: (error: unknown, value?: T) => void) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      start((error, value) => {
        if (error) reject(new Error(`snap7: ${typeof error === "number" ? this.api.ErrorText(error) : String(error)}`));
        else resolve(value as T);
      });
    });
  }
}

/** The part of nodes7's API these tests use (its README). */
interface NodeS7Api {
  initiateConnection(options: Record<string, unknown>, callback: (error?: unknown) => void): void;
  setTranslationCB(translate: (tag: string) => string | undefined): void;
  addItems(items: string | readonly string[]): void;
  removeItems(items?: string | readonly string[]): void;
  readAllItems(callback: (anyBad: boolean, values: Record<string, unknown>) => void): void;
  writeItems(items: string | readonly string[], values: unknown, callback: (anyBad: boolean) => void): number;
  dropConnection(callback?: () => void): void;
}

const NodeS7 = require("nodes7") as new (options: { silent: boolean }) => NodeS7Api;

/** nodes7 (pure JavaScript), promise-shaped, its tags named by their nodes7 addresses (`DB1,REAL24`). */
export class Nodes7Client {
  readonly api = new NodeS7({ silent: true });

  static async connect(port: number): Promise<Nodes7Client> {
    const client = new Nodes7Client();
    await new Promise<void>((resolve, reject) => {
      client.api.initiateConnection({ host: "127.0.0.1", port, rack: 0, slot: 1, timeout: 5000 }, (error) =>
        error ? reject(new Error(`nodes7: ${String(error)}`)) : resolve(),
      );
    });
    return client;
  }

  read(addresses: readonly string[]): Promise<{ anyBad: boolean; values: Record<string, unknown> }> {
    this.api.removeItems();
    this.api.addItems(addresses);
    return new Promise((resolve) => this.api.readAllItems((anyBad, values) => resolve({ anyBad, values })));
  }

  write(addresses: readonly string[], values: readonly unknown[]): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const busy = this.api.writeItems(addresses, values, (anyBad) => resolve(anyBad));
      if (busy !== 0) reject(new Error("nodes7: a write is already in progress"));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.api.dropConnection(() => resolve()));
  }
}

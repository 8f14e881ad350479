// Tests how s7:// URLs become connection settings: PLC4X's options, their defaults, TSAPs, and mistakes with their column.
import assert from "node:assert/strict";
import { test } from "node:test";
import { drivers } from "../../../src/plc/index.ts";
import { parseS7Url } from "../../../src/plc/s7/settings.ts";
import { parseConnectionUrl } from "../../../src/plc/url.ts";

const settings = (url: string) => parseS7Url(parseConnectionUrl(url));

test("the URL of the issue: rack/slot, controller type, PDU size, parallel jobs and read timeout", () => {
  assert.deepEqual(
    settings(
      "s7://10.0.0.5?remote-rack=0&remote-slot=1&controller-type=S7_1500&pdu-size=960&max-amq-caller=8&read-timeout=4",
    ),
    {
      host: "10.0.0.5",
      port: 102,
      localTsap: 0x0100,
      remoteTsap: 0x0101,
      pduSize: 960,
      maxAmqCaller: 8,
      maxAmqCallee: 8,
      controllerType: "S7_1500",
      readTimeoutMs: 4000,
      pingIntervalMs: undefined,
      maxItemsPerRequest: 20,
    },
  );
});

test("defaults: port 102, rack 0 slot 0, PDU 1024, 8 jobs, 8 s, no controller type", () => {
  const s = settings("s7://plc.local");
  assert.equal(s.port, 102);
  assert.equal(s.remoteTsap, 0x0100);
  assert.equal(s.pduSize, 1024);
  assert.equal(s.maxAmqCaller, 8);
  assert.equal(s.readTimeoutMs, 8000);
  assert.equal(s.controllerType, undefined);
  assert.equal(s.maxItemsPerRequest, 20);
});

test("rack and slot go into the TSAP as Siemens lays it out: rack × 32 + slot", () => {
  assert.equal(settings("s7://h?remote-rack=0&remote-slot=2").remoteTsap, 0x0102);
  assert.equal(settings("s7://h?remote-rack=1&remote-slot=3").remoteTsap, 0x0123);
  assert.equal(settings("s7://h?remote-rack=7&remote-slot=31").remoteTsap, 0x01ff);
  assert.equal(settings("s7://h?local-rack=1&local-slot=1").localTsap, 0x0121);
});

test("explicit TSAPs win, in decimal as PLC4X writes them or hex; 0 means derive it", () => {
  const s = settings("s7://h?remote-tsap=0x0200&local-tsap=4096&remote-slot=3");
  assert.equal(s.remoteTsap, 0x0200);
  assert.equal(s.localTsap, 0x1000);
  assert.equal(settings("s7://h?remote-tsap=0&remote-slot=3").remoteTsap, 0x0103);
});

test("LOGO: PDU 480 and TSAP 02.00 unless given, as PLC4X and LOGO! Soft Comfort set them up", () => {
  const logo = settings("s7://h?controller-type=LOGO");
  assert.equal(logo.pduSize, 480);
  assert.equal(logo.remoteTsap, 0x0200);
  assert.equal(settings("s7://h?controller-type=LOGO&pdu-size=240&remote-slot=1").pduSize, 240);
  assert.equal(settings("s7://h?controller-type=LOGO&remote-slot=1").remoteTsap, 0x0101);
});

test("durations: a bare number is seconds (PLC4X), units work too; ping turns on a keep-alive", () => {
  assert.equal(settings("s7://h?read-timeout=2.5").readTimeoutMs, 2500);
  assert.equal(settings("s7://h?read-timeout=300ms").readTimeoutMs, 300);
  assert.equal(settings("s7://h?ping=true&ping-time=3").pingIntervalMs, 3000);
  assert.equal(settings("s7://h?ping=true&read-timeout=10").pingIntervalMs, 5000);
  assert.equal(settings("s7://h?ping-time=3").pingIntervalMs, undefined);
  assert.equal(settings("s7://h?retry-time=4").readTimeoutMs, 8000);
});

test("mistakes name the option and its column", () => {
  const cases: [string, RegExp][] = [
    [
      "s7://h?controller-type=S7-1500",
      /option 'controller-type' is 'S7-1500' at column 24; expected one of S7_300, S7_400, S7_1200, S7_1500, LOGO/,
    ],
    ["s7://h?remote-slot=32", /option 'remote-slot' is '32' at column 20; expected an integer in 0\.\.31/],
    ["s7://h?remote-rack=8", /expected an integer in 0\.\.7/],
    ["s7://h?pdu-size=32", /expected an integer in 64\.\.8192/],
    ["s7://h?remote-tsap=0x10000", /option 'remote-tsap' is '0x10000' at column 20; expected a TSAP 0\.\.65535/],
    ["s7://h?read-timeout=soon", /option 'read-timeout' is 'soon' at column 21; expected a duration/],
    ["s7://h?max-items-per-request=0", /expected an integer in 1\.\.255/],
    ["s7://h?remote-slto=1", /unknown option 'remote-slto' at column 8; expected one of local-rack, /],
    ["s7://h/db1", /path '\/db1' at column 7; expected no path after the host/],
  ];
  for (const [url, message] of cases) assert.throws(() => settings(url), message, url);
});

test("the registry knows s7://, checks its URLs whole, and refuses other transports", () => {
  assert.ok(drivers.protocols().includes("s7"));
  assert.equal(drivers.check("s7://10.0.0.5?remote-slot=1").driver.name, "Siemens S7");
  assert.equal(drivers.check("s7:tcp://10.0.0.5").url.transport, "tcp");
  assert.throws(() => drivers.check("s7:udp://10.0.0.5"), { code: "INVALID_URL" });
  assert.throws(() => drivers.check("s7://10.0.0.5?pdu-size=big"), { code: "INVALID_OPTION" });
});

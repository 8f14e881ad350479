// Tests PLC4X connection-URL parsing: every part of the examples, IPv6, credentials, redaction and error columns.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { InvalidUrlError } from "../../src/plc/errors.ts";
import { parseConnectionUrl, redactUrl } from "../../src/plc/url.ts";

function parts(text: string) {
  const url = parseConnectionUrl(text);
  const options = Object.fromEntries(url.options.names().map((name) => [name, url.options.string(name)]));
  return {
    protocol: url.protocol,
    transport: url.transport,
    host: url.host,
    port: url.port,
    path: url.path,
    options,
  };
}

function rejects(text: string, column: number, message: string): void {
  assert.throws(
    () => parseConnectionUrl(text),
    (error: unknown) => {
      assert.ok(error instanceof InvalidUrlError);
      assert.equal(error.code, "INVALID_URL");
      assert.equal(error.column, column);
      assert.equal(error.message, message);
      return true;
    },
  );
}

describe("parseConnectionUrl", () => {
  it("parses the PLC4X examples", () => {
    assert.deepEqual(parts("modbus-tcp://127.0.0.1:502?unit-identifier=1&request-timeout=2000"), {
      protocol: "modbus-tcp",
      transport: undefined,
      host: "127.0.0.1",
      port: 502,
      path: "",
      options: { "unit-identifier": "1", "request-timeout": "2000" },
    });
    assert.deepEqual(parts("s7://10.0.0.1?remote-rack=0&remote-slot=1"), {
      protocol: "s7",
      transport: undefined,
      host: "10.0.0.1",
      port: undefined,
      path: "",
      options: { "remote-rack": "0", "remote-slot": "1" },
    });
    assert.deepEqual(parts("opcua:tcp://host:4840/freeopcua/server?discovery=false"), {
      protocol: "opcua",
      transport: "tcp",
      host: "host",
      port: 4840,
      path: "/freeopcua/server",
      options: { discovery: "false" },
    });
    assert.deepEqual(parts("ads:tcp://10.0.0.5?target-ams-net-id=10.0.0.5.1.1&target-ams-port=851"), {
      protocol: "ads",
      transport: "tcp",
      host: "10.0.0.5",
      port: undefined,
      path: "",
      options: { "target-ams-net-id": "10.0.0.5.1.1", "target-ams-port": "851" },
    });
    assert.deepEqual(parts("simulated://demo"), {
      protocol: "simulated",
      transport: undefined,
      host: "demo",
      port: undefined,
      path: "",
      options: {},
    });
  });

  it("records the column of every part", () => {
    const url = parseConnectionUrl("opcua:tcp://host:4840/freeopcua/server?discovery=false");
    assert.deepEqual(url.columns, { protocol: 1, transport: 7, host: 13, port: 18, path: 22 });
    assert.deepEqual(url.options.get("discovery"), { name: "discovery", value: "false", column: 40, valueColumn: 50 });
  });

  it("lower-cases protocol and transport but keeps the host as written", () => {
    assert.deepEqual(parts("OPCUA:TCP://MyHost"), {
      protocol: "opcua",
      transport: "tcp",
      host: "MyHost",
      port: undefined,
      path: "",
      options: {},
    });
  });

  it("takes IPv6 hosts in brackets, with a zone id", () => {
    assert.equal(parseConnectionUrl("modbus-tcp://[::1]:502").host, "::1");
    assert.equal(parseConnectionUrl("modbus-tcp://[::1]:502").port, 502);
    assert.equal(parseConnectionUrl("s7://[fe80::1%25eth0]").host, "fe80::1%eth0");
    assert.equal(parseConnectionUrl("opcua:tcp://[2001:db8::7]/path").path, "/path");
  });

  it("percent-decodes option names and values, and keeps '+' as a plus", () => {
    const url = parseConnectionUrl("opcua:tcp://h?username=J%C3%BCrgen&key=a%2Bb+c&empty=");
    assert.equal(url.options.string("username"), "Jürgen");
    assert.equal(url.options.string("key"), "a+b+c");
    assert.equal(url.options.string("empty"), "");
  });

  it("ignores empty option segments", () => {
    assert.deepEqual(parseConnectionUrl("s7://h?a=1&&b=2&").options.names(), ["a", "b"]);
  });

  it("reads credentials and leaves a path for serial devices", () => {
    const url = parseConnectionUrl("opcua:tcp://op%40erator:p%3Ass@host:4840");
    assert.equal(url.username, "op@erator");
    assert.equal(url.password, "p:ss");
    assert.equal(url.host, "host");
    const serial = parseConnectionUrl("modbus-rtu:serial:///dev/ttyUSB0?baud-rate=19200");
    assert.equal(serial.host, "");
    assert.equal(serial.path, "/dev/ttyUSB0");
  });

  it("rejects malformed URLs at the right column", () => {
    rejects(
      "",
      1,
      ": end of URL at column 1; expected a protocol name, as in {protocol}[:{transport}]://{host}[:{port}][/path][?options]",
    );
    rejects(
      "modbus-tcp//h",
      11,
      "modbus-tcp//h: '/' at column 11; expected '://', as in {protocol}[:{transport}]://{host}[:{port}][/path][?options]",
    );
    rejects("opcua:7cp://h", 7, "opcua:7cp://h: '7' at column 7; expected a transport name (e.g. tcp) or '//'");
    rejects("s7://h:0", 8, "s7://h:0: port '0' at column 8; expected a port number 1..65535");
    rejects("s7://h:", 8, "s7://h:: an empty port at column 8; expected a port number 1..65535");
    rejects("s7://h:65536", 8, "s7://h:65536: port '65536' at column 8; expected a port number 1..65535");
    rejects("s7://h:5x", 8, "s7://h:5x: port '5x' at column 8; expected a port number 1..65535");
    rejects(
      "s7://300.1.1.1",
      6,
      "s7://300.1.1.1: '300.1.1.1' at column 6; expected an IPv4 address a.b.c.d with parts 0..255",
    );
    rejects(
      "s7://ho$t",
      8,
      "s7://ho$t: '$' at column 8; expected a host name, IPv4 address or [IPv6 address], then ':' and a port, '/', '?' or end of URL",
    );
    rejects("s7://[::g]", 7, "s7://[::g]: '::g' at column 7; expected an IPv6 address inside [ ]");
    rejects("s7://[::1", 10, "s7://[::1: end of URL at column 10; expected ']' closing the IPv6 address");
    rejects("s7://[::1]x", 11, "s7://[::1]x: 'x' at column 11; expected ':' and a port, '/', '?' or end of URL");
    rejects("s7://h?rack", 8, "s7://h?rack: option 'rack' without a value at column 8; expected name=value");
    rejects("s7://h?=1", 8, "s7://h?=1: an option without a name at column 8; expected name=value");
    rejects("s7://h?a=%4", 10, "s7://h?a=%4: a '%' not followed by two hex digits at column 10; expected %XX");
    rejects(
      "s7://h?a=%FF",
      10,
      "s7://h?a=%FF: percent-escapes that are not UTF-8 at column 10; expected UTF-8 bytes as %XX",
    );
    rejects(
      "s7://h?a=1&a=2",
      12,
      "s7://h?a=1&a=2: option 'a' given twice at column 12; expected each option at most once",
    );
    rejects("s7://h#top", 7, "s7://h#top: '#' at column 7; expected no fragment in a connection URL (write %23)");
    rejects("s7://my host", 8, "s7://my host: a space at column 8; expected no whitespace (write %20)");
    rejects(
      "s7://h?a=1\n",
      11,
      "s7://h?a=1\n: a whitespace or control character at column 11; expected no whitespace (write %20)",
    );
  });

  it("never puts a password into an error message", () => {
    assert.throws(
      () => parseConnectionUrl("opcua:tcp://h?password=hunter2&x=%ZZ"),
      (error: unknown) => {
        assert.ok(error instanceof InvalidUrlError);
        assert.equal(error.message.includes("hunter2"), false);
        assert.equal(error.url, "opcua:tcp://h?password=****&x=%ZZ");
        return true;
      },
    );
    assert.throws(
      () => parseConnectionUrl("opcua:tcp://bob:hunter2@h:99999"),
      (error: unknown) => {
        assert.ok(error instanceof InvalidUrlError);
        assert.equal(
          error.message,
          "opcua:tcp://bob:****@h:99999: port '99999' at column 27; expected a port number 1..65535",
        );
        return true;
      },
    );
  });
});

describe("redactUrl", () => {
  it("hides password-like option values and the userinfo password, and nothing else", () => {
    assert.equal(
      redactUrl("opcua:tcp://u:pw@h:4840/p?username=u&password=pw&keystore-password=k&token=t&discovery=true"),
      "opcua:tcp://u:****@h:4840/p?username=u&password=****&keystore-password=****&token=****&discovery=true",
    );
    assert.equal(redactUrl("s7://10.0.0.1?remote-rack=0"), "s7://10.0.0.1?remote-rack=0");
    assert.equal(redactUrl("opcua:tcp://user@h"), "opcua:tcp://user@h");
  });

  it("is what a parsed URL offers for logs", () => {
    const url = parseConnectionUrl("opcua:tcp://h?Pass%77ord=secret");
    assert.equal(url.redacted, "opcua:tcp://h?Pass%77ord=****");
    assert.equal(url.options.string("Password"), "secret");
  });
});

#!/usr/bin/env node
// The `fabrik` command line: one subcommand per layer, each with its own --help.
import { type Command, UsageError } from "./command.ts";
import { connectCommand } from "./connect.ts";
import { demoCommand } from "./demo.ts";
import { kafkaCommand } from "./kafka.ts";
import { simCommand } from "./sim.ts";
import { sqlCommand } from "./sql.ts";

const commands: readonly Command[] = [demoCommand, kafkaCommand, connectCommand, sqlCommand, simCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const list = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join("\n");
  return `Usage: fabrik <command> [options]

Fabrik moves data from PLCs into Apache Kafka, processes it with streaming SQL and shows the plant live.

Commands:
${list}

Run 'fabrik <command> --help' for a command's options.`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command)
      throw new UsageError(`unknown command '${name}'. Known commands: ${commands.map((c) => c.name).join(", ")}`);
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(
        `fabrik: ${error.message}\nRun 'fabrik ${command ? `${command.name} ` : ""}--help' for usage.\n`,
      );
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}

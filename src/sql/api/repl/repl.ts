// The interactive loop of `fabrik sql`: prompts, multi-line statements, history, Ctrl-C and Ctrl-D.
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { HistoryFile } from "./history.ts";
import type { SqlSession } from "./session.ts";
import { StatementBuffer } from "./statements.ts";

export interface ReplOptions {
  readonly session: SqlSession;
  readonly input: Readable;
  readonly output: Writable;
  /** A terminal gets prompts, line editing, history recall and Ctrl-C as a key (default: whether `input` is a TTY). */
  readonly terminal?: boolean;
  readonly history?: HistoryFile;
}

export interface Repl {
  /** Resolves when the user leaves (Ctrl-D, `exit`, end of input) and the last statement has finished. */
  readonly done: Promise<void>;
  /** Ctrl-C from outside a terminal (a signal): stops the running query, or leaves when none runs. */
  interrupt(): void;
}

const PROMPT = "fabrik> ";
const CONTINUATION = "     -> ";

const HELP = `Statements end with ';' and may span lines. SELECT and PRINT stream their rows; Ctrl-C stops them.
Client-side statements, as in ksqlDB's CLI:
  SET 'property'='value';   send the property with every later statement and query
  UNSET 'property';         stop sending it
  RUN SCRIPT 'file.sql';    run the statements of a file
Leave with Ctrl-D or 'exit'.
`;

const EXIT = /^\s*(exit|quit)\s*;?\s*$/i;
const HELP_LINE = /^\s*help\s*;?\s*$/i;

/** Reads statements from `input` until it ends, running each in `session` as soon as its `;` is typed. */
export async function startRepl(options: ReplOptions): Promise<Repl> {
  const { session, output } = options;
  const terminal = options.terminal ?? (options.input as Readable & { isTTY?: boolean }).isTTY === true;
  const buffer = new StatementBuffer();
  const past = (await options.history?.load()) ?? [];
  const rl = createInterface({
    input: options.input,
    output,
    terminal,
    // Newest first, as readline keeps it.
    history: past.toReversed(),
    historySize: 1000,
    prompt: PROMPT,
  });
  const prompt = () => {
    if (!terminal) return;
    rl.setPrompt(buffer.pending ? CONTINUATION : PROMPT);
    rl.prompt();
  };

  const interrupt = () => {
    if (session.interrupt()) return;
    if (buffer.pending) {
      buffer.clear();
      output.write("^C\n");
      prompt();
    } else if (terminal) {
      output.write("\nUse Ctrl-D or 'exit' to leave.\n");
      prompt();
    } else {
      rl.close();
    }
  };
  // In a terminal Ctrl-C is a key readline reports here; the loop below keeps reading keys while a query streams.
  rl.on("SIGINT", interrupt);

  const loop = async () => {
    prompt();
    for await (const line of rl) {
      options.history?.add(line);
      if (!buffer.pending && EXIT.test(line)) break;
      if (!buffer.pending && HELP_LINE.test(line)) {
        output.write(HELP);
      } else {
        for (const statement of buffer.add(line)) await session.run(statement);
      }
      prompt();
    }
    rl.close();
    if (terminal) output.write("\n");
    await options.history?.flush();
  };
  return { done: loop(), interrupt };
}

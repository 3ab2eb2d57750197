// Provenance for any program, not only TypeScript modules: run a command as a module whose
// inputs, outputs and parameters are given on the command line. The tool's output goes to the
// run's logs; its exit status is recorded; outputs it did not make are a failure.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { errorMessage, ProvenanceError } from "./errors.js";
import { executeModule, type ModuleResult, type RunOptions } from "./module.js";
import { FilePath, type ModuleArgs, type Outputs } from "./values.js";

/** `key=value` pairs in command-line order; a key given twice becomes a list. */
export type KeyValues = readonly (readonly [string, string])[];

export interface ExternalRunOptions extends RunOptions {
  name: string;
  version: string;
  inputs: KeyValues;
  outputs: KeyValues;
  params?: KeyValues;
  /** The program and its arguments (run without a shell). */
  command: readonly string[];
  /** The text of the record's `Command:` line (default: the command, space-joined). */
  commandLine?: string;
  /** Working directory of the program. */
  cwd?: string;
  /** Stops the program (SIGTERM) when aborted. */
  signal?: AbortSignal;
}

function group<T>(pairs: KeyValues, make: (value: string) => T): Record<string, T | T[]> {
  const grouped = new Map<string, T[]>();
  for (const [key, value] of pairs) {
    const list = grouped.get(key) ?? [];
    list.push(make(value));
    grouped.set(key, list);
  }
  return Object.fromEntries(
    [...grouped].map(([key, list]) => [key, list.length === 1 ? (list[0] as T) : list]),
  );
}

/** Splits `key=value`; throws `E_PROV_USAGE` naming the option when there is no `=`. */
export function parseKeyValue(text: string, option: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) {
    throw new ProvenanceError("E_PROV_USAGE", `${option} expects key=value, got "${text}"`);
  }
  return [text.slice(0, at), text.slice(at + 1)];
}

/** The exit status (or signal) of a finished program, as an error when it is not 0. */
class ToolExit extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

function runProgram(
  options: ExternalRunOptions,
  log: { info(m: string): void; warning(m: string): void },
): Promise<void> {
  const [program, ...args] = options.command;
  if (program === undefined) {
    return Promise.reject(new ProvenanceError("E_PROV_USAGE", "no command to run"));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      stdio: ["ignore", "pipe", "pipe"],
      signal: options.signal,
    });
    createInterface({ input: child.stdout }).on("line", (line) => log.info(line));
    createInterface({ input: child.stderr }).on("line", (line) => log.warning(line));
    child.once("error", (error) => {
      const reason =
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "command not found"
          : errorMessage(error);
      reject(new ToolExit(`${program}: ${reason}`, 127));
    });
    child.once("close", (code, signal) => {
      if (code === 0) resolve();
      else if (signal) reject(new ToolExit(`${program} was stopped by ${signal}`, 128));
      else reject(new ToolExit(`${program} exited with status ${code}`, code ?? 1));
    });
  });
}

/**
 * Runs an external program with the logs, QA pictures and records of a processing module.
 * Failures throw `ProvenanceError` after the failure record is written; the cause carries the
 * program's `exitCode`.
 */
export function runExternal(options: ExternalRunOptions): Promise<ModuleResult> {
  const args: ModuleArgs = {
    ...group(options.inputs, (value) => new FilePath(value)),
    ...group(options.params ?? [], (value) => value),
  };
  const outputs: Outputs = group(options.outputs, (value) => new FilePath(value));
  const commandLine = options.commandLine ?? options.command.join(" ");
  return executeModule(
    {
      name: options.name,
      version: options.version,
      cli: () => args,
      run: async (_args, context) => {
        await runProgram(options, context.log);
        return outputs;
      },
      batched: false,
    },
    commandLine === "" ? [] : [commandLine],
    options,
  );
}

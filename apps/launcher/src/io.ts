// What a command needs from its surroundings, so commands run the same in a terminal and in tests.

/** Output streams of a command run. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Working directory for relative paths (default `process.cwd()`). */
  cwd?: string;
  /** Standard input, read for the path `-` (default: none; `xcs` passes `process.stdin`). */
  stdin?: AsyncIterable<string | Uint8Array>;
}

/**
 * Exit codes, as linters use them (ESLint, `docker buildx build --check`): 0 all good, 1 the
 * inputs have problems, 2 the run could not check what it was asked to check.
 */
export const EXIT = {
  ok: 0,
  /** XNAT would reject a command (with `--lint`: also a lint finding of severity error). */
  invalid: 1,
  /** An input cannot be read: a missing path, an unreadable file, text that is not JSON. */
  unreadable: 2,
  /** Bad arguments (the same code as `unreadable`: nothing was checked). */
  usage: 2,
  /** An output cannot be written, or an internal error. */
  failure: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with `exitCode` after printing `message` on one line. */
export class CliError extends Error {
  readonly code = "E_XCS_CLI";
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

// What a command needs from its surroundings, so commands run the same in a terminal and in tests.

/** Output streams of a command run. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  /** Working directory for relative paths (default `process.cwd()`). */
  cwd?: string;
}

/** Exit codes (sysexits.h, as BIDS Apps and most Unix tools use them). */
export const EXIT = {
  ok: 0,
  /** `radifox run`: the run failed (a tool's own non-zero exit status is passed through instead). */
  failure: 1,
  /** Bad arguments or filter syntax. */
  usage: 64,
  /** The input data is wrong (a name that does not parse; problems with `--strict`). */
  dataError: 65,
  /** The input folder does not exist or is not readable. */
  noInput: 66,
  /** An output cannot be created (for example: the session is already staged). */
  cantCreate: 73,
  /** Writing failed (disk full, permissions). */
  ioError: 74,
  /** Another run holds the data; try again later. */
  tempFail: 75,
  /** A bug: an error nothing else explains. */
  software: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error that ends the command with `exitCode` after printing `message` on one line. */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

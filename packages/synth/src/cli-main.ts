// The radifox-synth command: parse the arguments, generate, print a one-line summary.
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import { SynthOptionError, type SynthOptions } from "./options.js";
import { generateStudy } from "./study.js";

/** Exit codes: 0 done, 1 failed while writing, 64 bad arguments (EX_USAGE). */
export const EXIT = { ok: 0, failure: 1, usage: 64 } as const;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
}

export const USAGE = `usage: radifox-synth <root> [options]

Writes a synthetic RADIFOX study: <root>/<PROJECT>-<NNNN>/<session>/nii/<name>.nii.gz + .json

options:
  --project P         project id of the subject ids (default BENCH)
  --subjects N        subjects (default 1)
  --sessions N        sessions per subject (default 3)
  --protocol NAME     bench (12 images, default) or mp2rage (bench + an MP2RAGE set)
  --mp2rage SET       complex (default), magphase or magnitude; implies --protocol mp2rage
  --images N          only the first N images of the protocol
  --shape XxYxZ       shape of every image (default 256x256x176)
  --dtype TYPE        int16 (default) or float32
  --seed S            integer seed (default 1); the same seed writes the same files
  --oblique DEG       tilt every image about the left-right axis (default 0)
  --head              confine the signal to an ellipsoidal head (smaller files)
  --concurrency N     images generated and written at a time (default 2)
  --gzip-level N      zlib level 0-9 (default 1, nibabel's)
  -q, --quiet         print nothing
  -h, --help          show this help
  -V, --version       show the version
`;

export function version(): string {
  const manifest = createRequire(import.meta.url)("../package.json") as { version: string };
  return manifest.version;
}

class UsageError extends Error {}

function integerArg(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new UsageError(`--${name} must be an integer, got "${text}"`);
  return Number(text);
}

function numberArg(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) {
    throw new UsageError(`--${name} must be a number, got "${text}"`);
  }
  return value;
}

function shapeArg(text: string | undefined): [number, number, number] | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)x(\d+)x(\d+)$/i.exec(text);
  const shape = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [];
  if (shape.length !== 3 || shape.some((n) => n < 1)) {
    throw new UsageError(`--shape must be three positive sizes such as 256x256x176, got "${text}"`);
  }
  return shape as [number, number, number];
}

function choiceArg<T extends string>(
  name: string,
  text: string | undefined,
  choices: readonly T[],
): T | undefined {
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be ${choices.join(", ")}; got "${text}"`);
  }
  return text as T;
}

/** The generation options of a command line; throws UsageError. */
function optionsFrom(
  args: string[],
): { options: SynthOptions; quiet: boolean } | "help" | "version" {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  if (values.version) return "version";
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? "missing <root>: the folder to write the study to"
        : `expected one <root>, got ${positionals.length} arguments`,
    );
  }
  const options: SynthOptions = {
    root: positionals[0] as string,
    project: values.project,
    subjects: integerArg("subjects", values.subjects),
    sessions: integerArg("sessions", values.sessions),
    images: integerArg("images", values.images),
    shape: shapeArg(values.shape),
    seed: integerArg("seed", values.seed),
    protocol: choiceArg("protocol", values.protocol, ["bench", "mp2rage"] as const),
    mp2rage: choiceArg("mp2rage", values.mp2rage, ["complex", "magphase", "magnitude"] as const),
    dtype: choiceArg("dtype", values.dtype, ["int16", "float32"] as const),
    oblique: numberArg("oblique", values.oblique),
    head: values.head,
    concurrency: integerArg("concurrency", values.concurrency),
    gzipLevel: integerArg("gzip-level", values["gzip-level"]),
  };
  return { options, quiet: values.quiet === true };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: "string" },
      subjects: { type: "string" },
      sessions: { type: "string" },
      images: { type: "string" },
      shape: { type: "string" },
      seed: { type: "string" },
      protocol: { type: "string" },
      mp2rage: { type: "string" },
      dtype: { type: "string" },
      oblique: { type: "string" },
      head: { type: "boolean" },
      concurrency: { type: "string" },
      "gzip-level": { type: "string" },
      quiet: { type: "boolean", short: "q" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  });
}

/** Runs `radifox-synth` with `args` (without the program name); returns the exit code. */
export async function main(args: string[], io: CliIo): Promise<number> {
  let command: ReturnType<typeof optionsFrom>;
  try {
    command = optionsFrom(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`radifox-synth: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (command === "help") {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (command === "version") {
    io.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  const { options, quiet } = command;
  // A counter that rewrites itself, only on a terminal.
  const progress =
    !quiet && io.stderr.isTTY
      ? (done: number, total: number) => {
          io.stderr.write(`\r${done}/${total} images${done === total ? "\r\x1b[K" : ""}`);
        }
      : undefined;
  const started = performance.now();
  try {
    const study = await generateStudy(progress ? { ...options, onProgress: progress } : options);
    const seconds = (performance.now() - started) / 1000;
    const images = study.subjects.reduce(
      (sum, subject) => sum + subject.sessions.reduce((n, session) => n + session.images.length, 0),
      0,
    );
    if (!quiet) {
      io.stdout.write(
        `radifox-synth: ${images} images, ${study.files} files, ` +
          `${(study.bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s -> ${study.root}\n`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SynthOptionError) {
      io.stderr.write(`radifox-synth: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    io.stderr.write(`radifox-synth: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

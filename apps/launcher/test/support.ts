// Shared helpers of the tests: the xcs command line in-process with captured output, the built
// bin, and the XCS conformance folder (skipped with a printed reason locally, required in CI).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { conformance } from "@workspace/test-support";
import { main } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));

/** The built command (`npx tsup` first). */
export const BIN = join(here, "..", "dist", "bin.js");

const xcs = conformance("xcs");

/** `XCS_CONFORMANCE_DIR` when set, else the developer set beside the repository. */
export const CONFORMANCE = xcs.dir;

/** True when the conformance set is there; otherwise skip locally and fail when `CI=true`. */
export function conformancePresent(): boolean {
  return xcs.present("validate.json");
}

/** A vectors file, read without the presence check (the caller asked `conformancePresent`). */
export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(xcs.path(file), "utf8")) as T;
}

/** `xcs <args>` with stdout and stderr captured; `cwd` is the command's working folder. */
export async function runCli(args: string[], options: { cwd?: string; stdin?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    cwd: options.cwd,
    stdin: options.stdin === undefined ? undefined : Readable.from([Buffer.from(options.stdin)]),
  };
  const code = await main(args, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

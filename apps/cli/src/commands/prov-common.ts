// What the provenance commands share: short Ids, paths shown relative to a folder, library
// errors turned into exit codes.
import { isAbsolute, relative, resolve } from "node:path";
import { ProvenanceError } from "@radifox/provenance";
import { CliError, type CliIO, EXIT } from "../io.js";

/** The first 12 hex digits of a record Id (as `git` shortens hashes). */
export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** `path` relative to `base` when it lies under it, else as it is. */
export function shown(path: string, base: string): string {
  const rel = relative(base, path);
  return rel === "" ? "." : rel.startsWith("..") || isAbsolute(rel) ? path : rel;
}

/** The working directory of a command run. */
export function cwdOf(io: CliIO): string {
  return resolve(io.cwd ?? process.cwd());
}

/** Runs `work`, turning the library's "cannot read" into exit 66 and bad arguments into 64. */
export async function reading<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProvenanceError && error.code === "E_PROV_READ") {
      throw new CliError(EXIT.noInput, error.message);
    }
    if (error instanceof ProvenanceError && error.code === "E_PROV_USAGE") {
      throw new CliError(EXIT.usage, error.message);
    }
    throw error;
  }
}

export const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

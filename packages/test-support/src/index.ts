// Helpers for the workspace's own test suites. The package is private and never built: the
// consumers' vitest transforms this file and their tsc reads it as source.
//
// The rule every suite follows: a test that needs something this machine may lack (a Debian
// package, the conformance vectors) is skipped with a printed reason on a developer machine and
// fails when CI=true, so CI never passes by skipping.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is `packages/test-support/src/index.ts`). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * `true` when `present`. Otherwise: with `CI=true` (exactly) it throws an `Error` whose message
 * is `reason`; anywhere else it prints `skipping: <reason>` with `console.warn` and returns
 * `false`, so the caller can skip (`describe.runIf(...)`, an early return).
 */
export function requireOrSkip(present: boolean, reason: string): boolean {
  if (present) return true;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return false;
}

/**
 * {@link requireOrSkip} for a system dependency, with the reason `<what> not found`; when
 * `debianPackage` is given the reason goes on with
 * `: install the Debian package <debianPackage> (scripts/install-system-packages.sh)`.
 */
export function requireSystem(what: string, present: boolean, debianPackage?: string): boolean {
  const hint =
    debianPackage === undefined
      ? ""
      : `: install the Debian package ${debianPackage} (scripts/install-system-packages.sh)`;
  return requireOrSkip(present, `${what} not found${hint}`);
}

/** The two sets of vectors produced from the originals. */
export type ConformanceSetName = "xcs" | "radifox";

/** The variable that points the tests of a set at another folder of vectors in the same format. */
export const CONFORMANCE_ENV = {
  xcs: "XCS_CONFORMANCE_DIR",
  radifox: "RADIFOX_CONFORMANCE_DIR",
} as const satisfies Record<ConformanceSetName, string>;

/** The developer copy of a set: `../shared/conformance/<set>` beside the repository. */
export function defaultConformanceDir(set: ConformanceSetName): string {
  return join(REPO_ROOT, "..", "shared", "conformance", set);
}

/** One set of conformance vectors, as the test files use it. */
export interface ConformanceVectors {
  readonly set: ConformanceSetName;
  /** The folder: the set's variable when it is set, else the developer copy (absolute). */
  readonly dir: string;
  /** `file` (relative to the folder) as an absolute path. */
  path(file: string): string;
  /**
   * Whether `file` is there; if not, {@link requireOrSkip} with the reason
   * `conformance vectors <absolute path> not found` (skip locally, throw under CI=true).
   */
  present(file: string): boolean;
  /** The parsed JSON of `file`, or `undefined` after {@link present} printed why it is missing. */
  load<T>(file: string): T | undefined;
}

/**
 * The vectors of `set`. The folder is read from the environment once, when this is called
 * (normally as a test support module loads), and resolved against the working folder.
 */
export function conformance(set: ConformanceSetName): ConformanceVectors {
  const dir = resolve(process.env[CONFORMANCE_ENV[set]] ?? defaultConformanceDir(set));
  const path = (file: string): string => join(dir, file);
  const present = (file: string): boolean =>
    requireSystem(`conformance vectors ${path(file)}`, existsSync(path(file)));
  const load = <T>(file: string): T | undefined =>
    present(file) ? (JSON.parse(readFileSync(path(file), "utf8")) as T) : undefined;
  return { set, dir, path, present, load };
}

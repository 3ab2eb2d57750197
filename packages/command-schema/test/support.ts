// Shared helpers of the tests: the XCS conformance folder and the "system dependency" rule
// (skip with a printed reason locally, fail in CI).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** `XCS_CONFORMANCE_DIR` when set, else the developer set beside the repository. */
export const CONFORMANCE = resolve(
  process.env.XCS_CONFORMANCE_DIR ?? join(here, "../../../../shared/conformance/xcs"),
);

export function requireSystem(what: string, present: boolean): boolean {
  if (present) return true;
  const reason = `${what} not found`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return false;
}

export function loadVectors<T>(file: string): T | undefined {
  const path = join(CONFORMANCE, file);
  if (!requireSystem(`conformance vectors ${path}`, existsSync(path))) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export function conformanceText(relative: string): string {
  return readFileSync(join(CONFORMANCE, relative), "utf8");
}

/** mulberry32: a small deterministic generator, so that fuzz failures reproduce. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Shared helpers of the tests: the XCS conformance folder and the "system dependency" rule
// (skip with a printed reason locally, fail in CI), both from @workspace/test-support.
import { readFileSync } from "node:fs";
import { conformance } from "@workspace/test-support";

export { requireSystem } from "@workspace/test-support";

const xcs = conformance("xcs");

/** `XCS_CONFORMANCE_DIR` when set, else the developer set beside the repository. */
export const CONFORMANCE = xcs.dir;

/** The parsed vectors file, or `undefined` (with a printed reason) when it is missing. */
export const loadVectors = xcs.load;

export function conformanceText(relative: string): string {
  return readFileSync(xcs.path(relative), "utf8");
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

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

export function loadVectors<T>(file: string): T | undefined {
  const path = join(CONFORMANCE, file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as T;
  const reason = `conformance vectors ${path} not found`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return undefined;
}

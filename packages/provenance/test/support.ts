// Shared helpers of the provenance tests: the conformance vectors, temporary folders, the
// created-files walk, and the "system dependency" rule (skip locally, fail under CI=true).
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The conformance folder of the original RADIFOX: `RADIFOX_CONFORMANCE_DIR` when set (another
 * set in the same format), else the developer set beside the repository.
 */
export const CONFORMANCE = resolve(
  process.env.RADIFOX_CONFORMANCE_DIR ?? join(here, "../../../../shared/conformance/radifox"),
);

export const DEBIAN_PYTHON = "/usr/bin/python3";

/**
 * Whether a dependency is present. Missing locally: prints why and skips; with CI=true it fails,
 * so CI never passes by skipping.
 */
export function requireSystem(what: string, present: boolean): boolean {
  if (present) return true;
  const reason = `${what} not found`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return false;
}

export function hasPythonYaml(): boolean {
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import yaml"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function loadVectors<T>(file: string): T | undefined {
  const path = join(CONFORMANCE, file);
  if (!requireSystem(`conformance vectors ${path}`, existsSync(path))) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Every path under `root` (relative, sorted) with its kind. */
export function walk(root: string): Map<string, "dir" | "file" | "symlink"> {
  const found = new Map<string, "dir" | "file" | "symlink">();
  const visit = (rel: string): void => {
    for (const name of readdirSync(join(root, rel))) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const info = lstatSync(join(root, child));
      if (info.isSymbolicLink()) found.set(child, "symlink");
      else if (info.isDirectory()) {
        found.set(child, "dir");
        visit(child);
      } else found.set(child, "file");
    }
  };
  visit("");
  return new Map([...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `[LEVEL, message]` of every log line (timestamps and continuation lines dropped). */
export function logLines(text: string): [string, string][] {
  const lines: [string, string][] = [];
  for (const line of text.split("\n")) {
    const match = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \[([A-Z-]+)\] (.*)$/.exec(line);
    if (match) lines.push([match[1] as string, match[2] as string]);
  }
  return lines;
}

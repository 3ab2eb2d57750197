// Shared helpers of the provenance tests: the conformance vectors, temporary folders, the
// created-files walk, and the "system dependency" rule (skip locally, fail under CI=true); the
// vectors folder and that rule come from @workspace/test-support.
import { execFileSync } from "node:child_process";
import { lstatSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conformance } from "@workspace/test-support";

export { requireSystem } from "@workspace/test-support";

const radifox = conformance("radifox");

/**
 * The conformance folder of the original RADIFOX: `RADIFOX_CONFORMANCE_DIR` when set (another
 * set in the same format), else the developer set beside the repository.
 */
export const CONFORMANCE = radifox.dir;

/** The parsed vectors file, or `undefined` (with a printed reason) when it is missing. */
export const loadVectors = radifox.load;

export const DEBIAN_PYTHON = "/usr/bin/python3";

export function hasPythonYaml(): boolean {
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import yaml"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
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

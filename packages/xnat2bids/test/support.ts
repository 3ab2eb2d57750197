// Shared helpers of the tests: the XCS conformance folder and the "system dependency" rule
// (skip with a printed reason locally, fail in CI).
import { execFileSync } from "node:child_process";
import { type Dirent, existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
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

/** Every file below `root` (relative, `/`-separated, code-point order); none if it is missing. */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}

/** Debian's python3, where Debian's python3-bids-validator installs. */
export const DEBIAN_PYTHON = "/usr/bin/python3";

/** Whether Debian's python3-bids-validator can run here. */
export function hasPythonBidsValidator(): boolean {
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import bids_validator"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** True when present; otherwise skip with the reason (locally) or fail (CI=true). */
export function requireSystem(what: string, debianPackage: string, present: boolean): boolean {
  if (present) return true;
  const reason = `${what} not found: install the Debian package ${debianPackage} (scripts/install-system-packages.sh)`;
  if (process.env.CI === "true") throw new Error(reason);
  console.warn(`skipping: ${reason}`);
  return false;
}

const PYTHON_CHECK = `
import json, sys
from bids_validator import BIDSValidator
validator = BIDSValidator()
paths = json.load(sys.stdin)
print(json.dumps([p for p in paths if not validator.is_bids(p)]))
`;

/**
 * The dataset paths (`/sub-01/anat/…`, relative to the dataset root with a leading `/`) that
 * Debian's python3-bids-validator rejects.
 */
export function rejectedByPythonValidator(paths: readonly string[]): string[] {
  const out = execFileSync(DEBIAN_PYTHON, ["-c", PYTHON_CHECK], {
    input: JSON.stringify(paths),
    encoding: "utf8",
  });
  return JSON.parse(out) as string[];
}

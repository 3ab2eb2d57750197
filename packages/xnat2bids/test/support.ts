// Shared helpers of the tests: the XCS conformance folder and the "system dependency" rule
// (skip with a printed reason locally, fail in CI).
import { execFileSync } from "node:child_process";
import { type Dirent, existsSync, readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { conformance, requireSystem as requireSystemPackage } from "@workspace/test-support";

const xcs = conformance("xcs");

/** `XCS_CONFORMANCE_DIR` when set, else the developer set beside the repository. */
export const CONFORMANCE = xcs.dir;

/** The parsed vectors file, or `undefined` (with a printed reason) when it is missing. */
export const loadVectors = xcs.load;

/**
 * Every visible file below `root` (relative, `/`-separated, code-point order); none if it is
 * missing. Hidden ones (the converter's `.xnat2bids` folder) are left out, as BIDS tools do.
 */
export function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((path) => !path.split("/").some((part) => part.startsWith(".")))
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
  return requireSystemPackage(what, present, debianPackage);
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

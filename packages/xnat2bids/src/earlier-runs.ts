// What becomes of the records of earlier runs once a run has placed its files: records of
// files still there are kept even when this run did not place them again (a failed write, a
// file kept as found), and files placed earlier that no input maps to any more are reported.
import { join } from "node:path";
import { present, type Report } from "./folders.js";
import type { PlacedFiles } from "./manifest.js";

/**
 * Adds to `placed` the earlier records of files still in the output that this run did not
 * record again, and reports as `STALE_FILE` those that no input of this run maps to although
 * they lie in a subject or session folder this run converts (`scopes`: `sub-X` or
 * `sub-X/ses-Y`). Files of other sessions are not stale: runs often convert one session each
 * into a shared dataset. Nothing is deleted; records of files that are gone are dropped.
 */
export function keepEarlierRecords(
  output: string,
  before: PlacedFiles,
  placed: PlacedFiles,
  planned: ReadonlySet<string>,
  scopes: ReadonlySet<string>,
  report: Report,
): void {
  for (const [target, record] of before) {
    if (placed.has(target) || !present(join(output, target))) continue;
    placed.set(target, record);
    if (planned.has(target) || !inScope(target, scopes)) continue;
    report({
      severity: "warning",
      code: "STALE_FILE",
      message: `an earlier run placed this file${"source" in record ? ` (from ${record.source})` : ""}, but no input of this run maps to it: remove it if it is obsolete`,
      path: target,
    });
  }
}

/** Whether `target` lies in a `sub-X/` or `sub-X/ses-Y/` folder of `scopes`. */
function inScope(target: string, scopes: ReadonlySet<string>): boolean {
  const [subject, second] = target.split("/");
  return scopes.has(`${subject}/${second}`) || scopes.has(subject ?? "");
}

/** The folders a plan converts: `sub-X/ses-Y` for files with a session, else `sub-X`. */
export function convertedScopes(
  files: readonly { subject: string; session?: string | undefined }[],
): Set<string> {
  return new Set(
    files.map((f) =>
      f.session === undefined ? `sub-${f.subject}` : `sub-${f.subject}/ses-${f.session}`,
    ),
  );
}

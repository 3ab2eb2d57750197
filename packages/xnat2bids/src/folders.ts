// The few synchronous folder reads the planners need. A folder that cannot be read is a
// finding, never an exception: one unreadable scan must not stop the other scans.
import { type Dirent, lstatSync, readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { join } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import type { Finding } from "./plan.js";

/** Collects findings as the planners go. */
export type Report = (finding: Finding) => void;

/** The visible entries of `dir` in code-point order; undefined (and a finding) if unreadable. */
export function listEntries(dir: string, report: Report): Dirent[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith("."))
      .sort((a, b) => compareCodePoints(a.name, b.name));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT") return undefined;
    report({ severity: "error", code: "UNREADABLE", message: `cannot list (${code})`, path: dir });
    return undefined;
  }
}

/** What `path` leads to, following links; undefined when nothing usable (gone, a loop, …). */
function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether an entry is a folder; a symbolic link to a folder counts. */
export function isFolderEntry(entry: Dirent, parent: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statOrUndefined(join(parent, entry.name))?.isDirectory() === true;
}

/** Whether an entry is a file; a symbolic link to a file counts. */
export function isFileEntry(entry: Dirent, parent: string): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statOrUndefined(join(parent, entry.name))?.isFile() === true;
}

/** A symbolic link that leads to nothing usable (missing target, a loop, no permission). */
export function isBrokenLink(entry: Dirent, parent: string): boolean {
  return entry.isSymbolicLink() && statOrUndefined(join(parent, entry.name)) === undefined;
}

/**
 * Whether something is at `path` (not following links). Anything but "no such file" counts as
 * present, so that a file this process cannot see into is kept, never replaced or forgotten.
 */
export function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

/** Whether `path` is a folder (following links). */
export function isFolder(path: string): boolean {
  return statOrUndefined(path)?.isDirectory() === true;
}

/** The names of the visible sub-folders of `dir`, in code-point order. */
export function folderNames(dir: string, report: Report): string[] {
  return (listEntries(dir, report) ?? [])
    .filter((entry) => isFolderEntry(entry, dir))
    .map((entry) => entry.name);
}

/** Numbers in their numeric order (`2` before `10`), then code points: how XNAT lists scans. */
export function compareScanIds(a: string, b: string): number {
  const x = /^\d+$/.test(a) ? Number(a) : Number.NaN;
  const y = /^\d+$/.test(b) ? Number(b) : Number.NaN;
  if (!Number.isNaN(x) && !Number.isNaN(y) && x !== y) return x - y;
  if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
  return compareCodePoints(a, b);
}

/**
 * The file a data path stands for: itself, or the file a symbolic link points at (a hard link
 * to a link would be a second link, often a broken one when relative).
 */
export function dataFile(path: string): string {
  try {
    return lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  } catch {
    return path; // unusable: linking it fails and is reported then
  }
}

// Synchronous folder listings for the RADIFOX layout (the resolver needs a session in a few
// milliseconds, so no promises): sorted in code-point order, hidden entries skipped.
import { type Dirent, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import type { RadifoxProblem } from "./errors.js";

export type Report = (problem: RadifoxProblem) => void;

/** A deeper tree than this is taken for a symbolic-link loop and not walked further. */
const MAX_DEPTH = 32;

const visible = (name: string) => !name.startsWith(".");

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * The visible entries of a folder in code-point order; `undefined` when it does not exist (or
 * is not a folder); a folder that exists but cannot be read is reported and gives `[]`.
 */
export function listDir(dir: string, report: Report): Dirent[] | undefined {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    report({ path: dir, code: "E_ARCHIVE_READ", message: `cannot read folder (${String(error)})` });
    return [];
  }
  return entries.filter((e) => visible(e.name)).sort((a, b) => compareCodePoints(a.name, b.name));
}

/** Whether an entry is a folder, following a symbolic link. */
export function isFolder(entry: Dirent, parent: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(parent, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether an entry is a file, following a symbolic link. */
export function isFile(entry: Dirent, parent: string): boolean {
  if (entry.isFile()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(parent, entry.name)).isFile();
  } catch {
    return false;
  }
}

/** Whether `path` is a folder (following links). */
export function folderExists(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A file of a resource: its path relative to the resource folder, absolute path and size. */
export interface FileEntry {
  readonly relative: string;
  readonly path: string;
  readonly size: number | undefined;
}

/** The size of a file, or undefined (reported) when it cannot be read. */
export function fileSize(path: string, report: Report): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    report({ path, code: "E_ARCHIVE_READ", message: `cannot read file (${String(error)})` });
    return undefined;
  }
}

/** Every visible file below `dir`, in code-point order of the relative paths. */
export function walkFiles(dir: string, report: Report): FileEntry[] {
  const files: FileEntry[] = [];
  const walk = (folder: string, prefix: string, depth: number) => {
    for (const entry of listDir(folder, report) ?? []) {
      const path = join(folder, entry.name);
      const relative = prefix + entry.name;
      if (isFolder(entry, folder)) {
        if (depth < MAX_DEPTH) walk(path, `${relative}/`, depth + 1);
      } else if (isFile(entry, folder)) {
        files.push({ relative, path, size: fileSize(path, report) });
      }
    }
  };
  walk(dir, "", 0);
  return files.sort((a, b) => compareCodePoints(a.relative, b.relative));
}

// The XNAT archive's folders and the few synchronous file-system reads the reader needs. Entries
// whose names start with "." are never objects or files (temporary files of writers, editor
// droppings); XNAT's own catalog files (`*_catalog.xml` at the top of a resource folder) are
// bookkeeping, not resource files.
import { createHash } from "node:crypto";
import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { ArchiveError } from "../errors.js";

/** Names of the XNAT layout. */
export const LAYOUT = {
  projectFile: "project.json",
  sessionFile: "session.json",
  /** The current archive folder of a project (XNAT's `arc001`). */
  arc: "arc001",
  scans: "SCANS",
  sessionResources: "RESOURCES",
  assessors: "ASSESSORS",
  /** Project and subject resources: `<project>/resources/`, `<project>/subjects/<label>/resources/`. */
  resources: "resources",
  subjects: "subjects",
} as const;

/** A file of a resource: absolute path, path relative to the resource folder (`/`), size. */
export interface ResourceFile {
  readonly path: string;
  readonly relative: string;
  readonly size: number;
}

function readEntries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw new ArchiveError("E_ARCHIVE_READ", `cannot list (${code ?? "error"})`, {
      path: dir,
      cause: error,
    });
  }
}

/** Whether an entry is a folder (a symbolic link to one counts). */
function isFolder(dir: string, entry: Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return statSync(join(dir, entry.name), { throwIfNoEntry: false })?.isDirectory() === true;
}

/** The visible sub-folders of `dir` in code-point order; none when `dir` does not exist. */
export function listFolders(dir: string): string[] {
  return readEntries(dir)
    .filter((entry) => !entry.name.startsWith(".") && isFolder(dir, entry))
    .map((entry) => entry.name)
    .sort(compareCodePoints);
}

/** Whether `path` is a folder. */
export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

/** Whether `path` is a file. */
export function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() === true;
}

const CATALOG = /_catalog\.xml$/;

/**
 * The files below a resource folder, recursively, in code-point order of their relative paths
 * (the order is the same on every machine). Hidden entries and top-level `*_catalog.xml`
 * files are left out.
 */
export function listResourceFiles(dir: string): ResourceFile[] {
  const files: ResourceFile[] = [];
  // Each real folder is listed once: a link back to an ancestor would repeat it without end.
  const seen = new Set<string>();
  const walk = (folder: string, top: boolean) => {
    const real = realpathSync(folder);
    if (seen.has(real)) return;
    seen.add(real);
    for (const entry of readEntries(folder)) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      const stats = entry.isFile() || entry.isSymbolicLink() ? statSafe(path) : undefined;
      if (entry.isDirectory() || stats?.isDirectory()) {
        walk(path, false);
      } else if (stats?.isFile() && !(top && CATALOG.test(entry.name))) {
        files.push({ path, relative: toPosix(relative(dir, path)), size: stats.size });
      }
    }
  };
  walk(dir, true);
  return files.sort((a, b) => compareCodePoints(a.relative, b.relative));
}

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined; // a dangling link: not a file
    throw new ArchiveError("E_ARCHIVE_READ", `cannot stat (${code ?? "error"})`, {
      path,
      cause: error,
    });
  }
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

/**
 * The `integer-id` of the resource whose folder is `dir`: a stable 52-bit number hashed from
 * the folder's path relative to the archive root (SHA-1, first 13 hex digits). It survives
 * moving the archive and reopening it; renaming a folder changes it.
 */
export function resourceIntegerId(root: string, dir: string): number {
  const digest = createHash("sha1")
    .update(toPosix(relative(root, dir)))
    .digest("hex");
  return Number.parseInt(digest.slice(0, 13), 16);
}

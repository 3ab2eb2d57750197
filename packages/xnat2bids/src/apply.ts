// Carries out a plan in the output folder. Every file appears under its final name only when
// complete: it is linked, copied or written under a hidden temporary name in the same folder
// and renamed into place. A target that already holds the same file is left alone, so a
// re-run changes nothing; one that differs is replaced (its source changed).

import { randomUUID } from "node:crypto";
import { constants, promises as fs, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "@radifox/nifti";
import type { Finding } from "./plan.js";

/** How data files reach the output: hard links (default), symbolic links or copies. */
export type LinkMode = "hard" | "sym" | "copy";

/** One file to put in place. */
export interface OutputFile {
  /** Path relative to the output folder, `/`-separated. */
  readonly target: string;
  /** Linked or copied from here… */
  readonly source?: string;
  /** …or written with this content. */
  readonly content?: string;
}

/** What happened to one file. */
export interface FileAction {
  readonly target: string;
  readonly action: "created" | "updated" | "unchanged" | "failed";
  /** How it was made: `hard`, `sym`, `copy` (also a hard link that fell back), or `write`. */
  readonly method: LinkMode | "write";
}

export interface ApplyOptions {
  readonly link: LinkMode;
  /** File operations in flight at once; default 16. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  readonly actions: FileAction[];
  readonly findings: Finding[];
}

/** Errors of `link` that mean "this file system cannot hard-link here": copy instead. */
const NO_HARD_LINK = new Set(["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP"]);

/**
 * Files that hard mode links. Sidecars, gradient tables and event files are copied even
 * then: tools edit those in place (IntendedFor, corrected gradients), and a shared inode
 * would carry the edit back into the archive.
 */
const LINKABLE = [".nii.gz", ".nii", ".tsv.gz"];

/** The mode one file is placed in. */
function modeFor(mode: LinkMode, target: string): LinkMode {
  return mode === "hard" && !LINKABLE.some((ext) => target.endsWith(ext)) ? "copy" : mode;
}

/** A hidden name beside `path` that no other writer uses (pids repeat across containers). */
function temporaryName(path: string): string {
  return join(dirname(path), `.xnat2bids-${randomUUID()}.tmp`);
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Whether `target` already is what linking/copying `source` in `mode` would make. */
async function alreadyInPlace(
  source: string,
  sourceStat: Stats,
  target: string,
  existing: Stats,
  mode: LinkMode,
): Promise<boolean> {
  if (mode === "sym") {
    return existing.isSymbolicLink() && (await fs.readlink(target)) === source;
  }
  if (!existing.isFile()) return false;
  const sameFile = existing.dev === sourceStat.dev && existing.ino === sourceStat.ino;
  if (sameFile) return mode === "hard"; // in copy mode a link is not the copy asked for
  // On one file system a hard link is the same inode or nothing; across file systems hard
  // mode fell back to a copy, judged like one.
  if (mode === "hard" && existing.dev === sourceStat.dev) return false;
  // A copy made here keeps the source's modification time (to within a microsecond or so:
  // utimes takes seconds as a double): same size and time = same file, as rsync judges.
  return existing.size === sourceStat.size && Math.abs(existing.mtimeMs - sourceStat.mtimeMs) < 1;
}

/** Makes `temp` a copy of `source` with the source's times (see alreadyInPlace). */
async function copyWithTimes(source: string, temp: string, sourceStat: Stats): Promise<void> {
  await fs.copyFile(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  await fs.utimes(temp, sourceStat.atimeMs / 1000, sourceStat.mtimeMs / 1000);
}

interface Context {
  readonly root: string;
  readonly mode: LinkMode;
  readonly findings: Finding[];
  /** Hard links that fell back to copies, by error code (reported once each). */
  readonly fallbacks: Set<string>;
  readonly folders: Map<string, Promise<unknown>>;
}

/** Creates a folder once, however many files go into it. */
function ensureFolder(ctx: Context, folder: string): Promise<unknown> {
  let made = ctx.folders.get(folder);
  if (!made) {
    made = fs.mkdir(folder, { recursive: true });
    ctx.folders.set(folder, made);
  }
  return made;
}

/**
 * A link made straight at the target name: one system call, and as atomic as a rename (the
 * name appears with the whole file behind it). False when the name is taken or hard links
 * are impossible here; the caller then takes the careful path.
 */
async function linkedDirectly(mode: LinkMode, source: string, target: string): Promise<boolean> {
  try {
    if (mode === "hard") await fs.link(source, target);
    else await fs.symlink(source, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST" || (mode === "hard" && NO_HARD_LINK.has(code))) return false;
    throw error;
  }
}

async function placeLinked(
  ctx: Context,
  file: OutputFile & { source: string },
): Promise<FileAction> {
  const target = join(ctx.root, file.target);
  const mode = modeFor(ctx.mode, file.target);
  if (mode !== "copy" && (await linkedDirectly(mode, file.source, target))) {
    return { target: file.target, action: "created", method: mode };
  }
  const sourceStat = await fs.stat(file.source);
  const existing = await lstatOrUndefined(target);
  if (existing && (await alreadyInPlace(file.source, sourceStat, target, existing, mode))) {
    return { target: file.target, action: "unchanged", method: mode };
  }
  if (existing?.isDirectory()) throw new Error("a folder is in the way");
  const temp = temporaryName(target);
  let method: LinkMode = mode;
  try {
    if (mode === "sym") await fs.symlink(file.source, temp);
    else if (mode === "copy") await copyWithTimes(file.source, temp, sourceStat);
    else {
      try {
        await fs.link(file.source, temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (!NO_HARD_LINK.has(code)) throw error;
        ctx.fallbacks.add(code);
        method = "copy";
        await copyWithTimes(file.source, temp, sourceStat);
      }
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return { target: file.target, action: existing ? "updated" : "created", method };
}

async function placeWritten(
  ctx: Context,
  file: OutputFile & { content: string },
): Promise<FileAction> {
  const target = join(ctx.root, file.target);
  // Only a missing file may be written over unseen; one that cannot be read is kept.
  const current = await fs.readFile(target, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (current === file.content)
    return { target: file.target, action: "unchanged", method: "write" };
  await writeFileAtomic(target, file.content);
  return {
    target: file.target,
    action: current === undefined ? "created" : "updated",
    method: "write",
  };
}

async function placeOne(ctx: Context, file: OutputFile): Promise<FileAction> {
  await ensureFolder(ctx, dirname(join(ctx.root, file.target)));
  if (file.content !== undefined) return placeWritten(ctx, { ...file, content: file.content });
  if (file.source !== undefined) return placeLinked(ctx, { ...file, source: file.source });
  throw new Error("neither a source nor content");
}

/**
 * Puts every file in place under `root`, `concurrency` at a time. A file that fails is
 * reported (error `WRITE_FAILED`) and the others go on; nothing half-written stays behind.
 */
export async function applyFiles(
  root: string,
  files: readonly OutputFile[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  const ctx: Context = {
    root,
    mode: options.link,
    findings: [],
    fallbacks: new Set(),
    folders: new Map(),
  };
  const actions: FileAction[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const index = next;
      next += 1;
      const file = files[index] as OutputFile;
      try {
        actions[index] = await placeOne(ctx, file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        ctx.findings.push({
          severity: "error",
          code: "WRITE_FAILED",
          message: `${code ? `${code}: ` : ""}${error instanceof Error ? error.message : error}`,
          path: file.target,
        });
        actions[index] = {
          target: file.target,
          action: "failed",
          method: file.content === undefined ? ctx.mode : "write",
        };
      }
      done += 1;
      options.onProgress?.(done, files.length);
    }
  };
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a whole number of 1 or more, not ${concurrency}`);
  }
  const workers = Math.min(concurrency, files.length);
  await Promise.all(Array.from({ length: workers }, worker));
  for (const code of ctx.fallbacks) {
    ctx.findings.push({
      severity: "info",
      code: "LINK_FALLBACK",
      message: `hard links are not possible here (${code}): files were copied instead`,
    });
  }
  return { actions, findings: ctx.findings };
}

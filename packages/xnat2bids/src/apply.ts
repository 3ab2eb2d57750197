// Carries out a plan in the output folder. Every file appears under its final name only when
// complete: it is linked, copied or written under a hidden temporary name in the same folder
// and renamed into place. A target that already holds the same file is left alone, so a
// re-run changes nothing. One that differs is replaced only when an earlier run left it there
// unchanged (its source changed since); anything else there is kept and reported.

import { randomUUID } from "node:crypto";
import { constants, promises as fs, type Stats } from "node:fs";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "@radifox/nifti";
import { inPlace, sameBytes } from "./in-place.js";
import {
  contentRecord,
  copyRecord,
  isAsPlaced,
  isSameOrigin,
  linkRecord,
  type Placed,
  type PlacedFiles,
} from "./manifest.js";
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
  /** The content is a merge of the file already there, which it may therefore replace. */
  readonly mergesExisting?: boolean;
}

/** What happened to one file. */
export interface FileAction {
  readonly target: string;
  /** `kept`: the file there differs and is not this converter's; it was left alone. */
  readonly action: "created" | "updated" | "unchanged" | "kept" | "failed";
  /** How it was made: `hard`, `sym`, `copy` (also a hard link that fell back), or `write`. */
  readonly method: LinkMode | "write";
}

export interface ApplyOptions {
  readonly link: LinkMode;
  /** What earlier runs placed: only those files are replaced when they differ. */
  readonly placedBefore?: PlacedFiles;
  /** Where to record how each file was left, as it happens; default a new map. */
  readonly placed?: PlacedFiles;
  /** Remove temporary files of an unfinished run from the folders written into. */
  readonly sweepLeftovers?: boolean;
  /** Replace differing files even when an earlier run did not place them. */
  readonly overwrite?: boolean;
  /** File operations in flight at once; default 16. */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ApplyResult {
  readonly actions: FileAction[];
  readonly findings: Finding[];
  /** How each created, updated or unchanged file was left. */
  readonly placed: PlacedFiles;
}

/** Errors of `link` that mean "this file system cannot hard-link here": copy instead. */
const NO_HARD_LINK = new Set(["EXDEV", "EPERM", "EMLINK", "ENOTSUP", "EOPNOTSUPP"]);

/**
 * Files that hard and symbolic modes link. Sidecars, gradient tables and event files are
 * copied even then: tools edit those in place (IntendedFor, corrected gradients), and a link
 * would carry the edit back into the archive.
 */
const LINKABLE = [".nii.gz", ".nii", ".tsv.gz"];

/** The mode one file is placed in. */
function modeFor(mode: LinkMode, target: string): LinkMode {
  return mode !== "copy" && !LINKABLE.some((ext) => target.endsWith(ext)) ? "copy" : mode;
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

/** Makes `temp` a copy of `source` with the source's times (see {@link inPlace}). */
async function copyWithTimes(source: string, temp: string, sourceStat: Stats): Promise<void> {
  await fs.copyFile(source, temp, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
  await fs.utimes(temp, sourceStat.atimeMs / 1000, sourceStat.mtimeMs / 1000);
}

interface Context {
  readonly root: string;
  readonly mode: LinkMode;
  readonly placedBefore: PlacedFiles;
  readonly overwrite: boolean;
  readonly findings: Finding[];
  readonly placed: PlacedFiles;
  /** Hard links that fell back to copies, by error code (reported once each). */
  readonly fallbacks: Set<string>;
  /** Folders made or checked, each with whether this run created it. */
  readonly folders: Map<string, Promise<boolean>>;
  /** Whether to look for temporary files of an unfinished run, and those removed. */
  readonly sweep: boolean;
  readonly leftovers: string[];
}

/**
 * Creates a folder once, however many files go into it. True when this run created it: then
 * no file can be in it yet (runs into one output take turns), and nothing needs looking up.
 */
function ensureFolder(ctx: Context, folder: string): Promise<boolean> {
  let made = ctx.folders.get(folder);
  if (!made) {
    made = fs.mkdir(folder, { recursive: true }).then(async (first) => {
      if (first !== undefined) return true;
      if (ctx.sweep) ctx.leftovers.push(...(await removeLeftovers(folder)));
      return false;
    });
    ctx.folders.set(folder, made);
  }
  return made;
}

/**
 * The temporary names files get before they are renamed into place: links and copies
 * (`.xnat2bids-<uuid>.tmp`) and written files (`.<name>.<pid>-<hex>.tmp`).
 */
const TEMPORARY = /^\.(xnat2bids-[0-9a-f-]{36}|.+\.\d+-[0-9a-f]{8})\.tmp$/;

/** The note that temporary files of an unfinished run were removed. */
export function leftoversFinding(paths: readonly string[]): Finding {
  const some = `${paths.slice(0, 3).join(", ")}${paths.length > 3 ? ", …" : ""}`;
  return {
    severity: "info",
    code: "LEFTOVERS_REMOVED",
    message: `${paths.length} temporary file(s) of a run that did not finish were removed (${some})`,
  };
}

/**
 * Removes what a run that was killed left in `folder` under temporary names (while this run
 * holds the output's lock no other run can be writing them); returns their paths.
 */
export async function removeLeftovers(folder: string): Promise<string[]> {
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const removed = names.filter((n) => TEMPORARY.test(n)).map((n) => join(folder, n));
  for (const path of removed) await fs.rm(path, { force: true });
  return removed;
}

/** What {@link linkedDirectly} did. */
type DirectLink =
  | { readonly made: "linked" }
  | { readonly made: "exists" }
  | { readonly made: "impossible"; readonly code: string };

/**
 * A link made straight at the target name: one system call, and as atomic as a rename (the
 * name appears with the whole file behind it). Not made when the name is taken or hard links
 * are impossible here; the caller then takes the careful path.
 */
async function linkedDirectly(mode: LinkMode, source: string, target: string): Promise<DirectLink> {
  try {
    if (mode === "hard") await fs.link(source, target);
    else await fs.symlink(source, target);
    return { made: "linked" };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    if (code === "EEXIST") return { made: "exists" };
    if (mode === "hard" && NO_HARD_LINK.has(code)) return { made: "impossible", code };
    throw error;
  }
}

/** Records how a target was left and returns its action. */
function recorded(
  ctx: Context,
  target: string,
  placed: Placed,
  action: FileAction["action"],
  method: FileAction["method"],
): FileAction {
  ctx.placed.set(target, placed);
  return { target, action, method };
}

/**
 * Whether a file at `target` that differs from what this run makes may be replaced. Yes when
 * an earlier run left it there and nobody changed it since (its source changed), when it holds
 * the very bytes of its source (nothing is lost), or when overwriting was asked for. An edit
 * made in the output to a file whose source has not changed since is kept (info
 * `EDITED_KEPT`); any other difference is a conflict, kept (error `EXISTING_DIFFERS`).
 */
async function mayReplace(
  ctx: Context,
  target: string,
  now: Stats | string,
  origin: { source: string; stat: Stats } | string,
): Promise<boolean> {
  const before = ctx.placedBefore.get(target);
  if (ctx.overwrite || isAsPlaced(before, now)) return true;
  if (typeof origin !== "string" && typeof now !== "string" && now.isFile()) {
    if (await sameBytes(origin.source, join(ctx.root, target))) return true;
  }
  if (before) ctx.placed.set(target, before); // still ours, edited: remembered as placed
  if (isSameOrigin(before, origin)) {
    ctx.findings.push({
      severity: "info",
      code: "EDITED_KEPT",
      message:
        "kept: edited in the output since an earlier run placed it, and its source has not changed",
      path: target,
    });
  } else {
    ctx.findings.push({
      severity: "error",
      code: "EXISTING_DIFFERS",
      message: before
        ? "kept: edited in the output since an earlier run placed it, and its source has changed too; remove it or use --overwrite to take the new version"
        : "kept: a file this converter did not place is in the way (from another tool, or edited); remove it or use --overwrite to replace it",
      path: target,
    });
  }
  return false;
}

/**
 * Links, copies or symlinks `source` under a temporary name, then renames it into place; a
 * hard link that is impossible becomes a copy. Returns how the file was made.
 */
async function placeViaTemporary(
  ctx: Context,
  source: string,
  sourceStat: Stats,
  target: string,
  mode: LinkMode,
): Promise<LinkMode> {
  const temp = temporaryName(target);
  let method: LinkMode = mode;
  try {
    if (mode === "sym") await fs.symlink(source, temp);
    else if (mode === "copy") await copyWithTimes(source, temp, sourceStat);
    else {
      try {
        await fs.link(source, temp);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? "";
        if (!NO_HARD_LINK.has(code)) throw error;
        ctx.fallbacks.add(code);
        method = "copy";
        await copyWithTimes(source, temp, sourceStat);
      }
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return method;
}

async function placeLinked(
  ctx: Context,
  file: OutputFile & { source: string },
): Promise<FileAction> {
  const target = join(ctx.root, file.target);
  const mode = modeFor(ctx.mode, file.target);
  const fresh = await ensureFolder(ctx, dirname(target));
  /** Records the target as left: a copy by its source's size and time, a link by lstat. */
  const placedNow = async (action: FileAction["action"], method: LinkMode, sourceStat?: Stats) => {
    if (method === "copy" && sourceStat) {
      const record = copyRecord(file.source, sourceStat, mode === "hard");
      return recorded(ctx, file.target, record, action, method);
    }
    const [left, from] = await Promise.all([
      fs.lstat(target),
      // A hard link is its source; a symbolic link leads to it.
      sourceStat ?? (mode === "sym" ? fs.stat(target) : undefined),
    ]);
    return recorded(ctx, file.target, linkRecord(file.source, from ?? left, left), action, method);
  };

  let linkMode = mode; // becomes "copy" once a hard link proved impossible for this file
  let lookFirst = !fresh;
  if (fresh && mode !== "copy") {
    const direct = await linkedDirectly(mode, file.source, target);
    if (direct.made === "linked") return placedNow("created", mode);
    if (direct.made === "impossible") {
      ctx.fallbacks.add(direct.code);
      linkMode = "copy";
    } else lookFirst = true; // taken after all (a name differing only in case, say)
  }
  const [sourceStat, existing] = await Promise.all([
    fs.stat(file.source),
    lookFirst ? lstatOrUndefined(target) : undefined,
  ]);
  if (existing) {
    const found = await inPlace(
      { source: file.source, stat: sourceStat },
      { path: target, stat: existing, before: ctx.placedBefore.get(file.target) },
      mode,
    );
    if (found) return recorded(ctx, file.target, found.record, "unchanged", found.method);
    if (existing.isDirectory()) throw new Error("a folder is in the way");
    const origin = { source: file.source, stat: sourceStat };
    if (!(await mayReplace(ctx, file.target, existing, origin))) {
      return { target: file.target, action: "kept", method: mode };
    }
  } else if (lookFirst && linkMode !== "copy") {
    const direct = await linkedDirectly(mode, file.source, target);
    if (direct.made === "linked") return placedNow("created", mode, sourceStat);
    if (direct.made === "exists") throw new Error("another file appeared at this name meanwhile");
    ctx.fallbacks.add(direct.code);
    linkMode = "copy";
  }
  const method = await placeViaTemporary(ctx, file.source, sourceStat, target, linkMode);
  return placedNow(existing ? "updated" : "created", method, sourceStat);
}

async function placeWritten(
  ctx: Context,
  file: OutputFile & { content: string },
): Promise<FileAction> {
  const target = join(ctx.root, file.target);
  await ensureFolder(ctx, dirname(target));
  // Only a missing file may be written over unseen; one that cannot be read is kept.
  const current = await fs.readFile(target, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  const placed = contentRecord(file.content);
  if (current === file.content) return recorded(ctx, file.target, placed, "unchanged", "write");
  const mine = current === undefined || file.mergesExisting;
  if (!mine && !(await mayReplace(ctx, file.target, current, file.content))) {
    return { target: file.target, action: "kept", method: "write" };
  }
  await writeFileAtomic(target, file.content);
  return recorded(ctx, file.target, placed, current === undefined ? "created" : "updated", "write");
}

function placeOne(ctx: Context, file: OutputFile): Promise<FileAction> {
  if (file.content !== undefined) return placeWritten(ctx, { ...file, content: file.content });
  if (file.source !== undefined) return placeLinked(ctx, { ...file, source: file.source });
  return Promise.reject(new Error("neither a source nor content"));
}

/** `value` when it is a whole number of 1 or more; a RangeError otherwise. */
export function checkConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`concurrency must be a whole number of 1 or more, not ${value}`);
  }
  return value;
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
    placedBefore: options.placedBefore ?? new Map(),
    overwrite: options.overwrite ?? false,
    findings: [],
    placed: options.placed ?? new Map(),
    fallbacks: new Set(),
    folders: new Map(),
    sweep: options.sweepLeftovers ?? false,
    leftovers: [],
  };
  const actions: FileAction[] = new Array(files.length);
  let next = 0;
  let done = 0;
  let stopped: { error: unknown } | undefined;
  const worker = async () => {
    while (next < files.length && stopped === undefined) {
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
          method: file.content === undefined ? modeFor(ctx.mode, file.target) : "write",
        };
      }
      done += 1;
      try {
        options.onProgress?.(done, files.length);
      } catch (error) {
        // The caller wants out: no new file is started, the ones under way finish first.
        stopped ??= { error };
      }
    }
  };
  const concurrency = checkConcurrency(options.concurrency ?? 16);
  const workers = Math.min(concurrency, files.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (stopped) throw stopped.error;
  for (const code of ctx.fallbacks) {
    ctx.findings.push({
      severity: "info",
      code: "LINK_FALLBACK",
      message: `hard links are not possible here (${code}): files were copied instead`,
    });
  }
  if (ctx.leftovers.length > 0) ctx.findings.push(leftoversFinding(ctx.leftovers));
  return { actions, findings: ctx.findings, placed: ctx.placed };
}

// What earlier runs left in the output, kept at `.xnat2bids/manifest.json`. With it a re-run
// tells its own files (which it may replace when their source changed) from files that someone
// edited or put there (which it keeps), and finds files no input maps to any more.
import { createHash } from "node:crypto";
import { readFileSync, type Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@radifox/nifti";
import type { Report } from "./folders.js";

/** The converter's own folder in the output; hidden, so BIDS tools pass over it. */
export const STATE_FOLDER = ".xnat2bids";
/** The manifest, relative to the output. */
export const MANIFEST_FILE = `${STATE_FOLDER}/manifest.json`;
/**
 * Present while a run writes, and after a run that died writing: only then can temporary files
 * be lying about, so only then does the next run look for them.
 */
export const UNFINISHED_FILE = `${STATE_FOLDER}/unfinished`;

const FORMAT = 1;

/**
 * What identifies one state of a file: a new inode, size or time means it changed. A copy is
 * known by size and time alone (it was given its source's time, as `rsync -t` does).
 */
export interface FileState {
  readonly ino?: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** How this converter left a file. */
export type Placed =
  /**
   * A link or a copy of `source`: the source as it was (`from`) and the target as left;
   * `fallback` when a hard link was asked for and proved impossible.
   */
  | {
      readonly source: string;
      readonly from: FileState;
      readonly left: FileState;
      readonly fallback?: true;
    }
  /** Written content. */
  | { readonly sha256: string };

/** Placed files by target path (relative to the output, `/`-separated). */
export type PlacedFiles = Map<string, Placed>;

const stateOf = (stat: Stats): FileState => ({
  ino: stat.ino,
  size: stat.size,
  mtimeMs: stat.mtimeMs,
});

function sameState(state: FileState, stat: Stats): boolean {
  if (state.ino === undefined) {
    // A copy's time is set through a number of seconds: equal to within a millisecond.
    return stat.size === state.size && Math.abs(stat.mtimeMs - state.mtimeMs) < 1;
  }
  return stat.ino === state.ino && stat.size === state.size && stat.mtimeMs === state.mtimeMs;
}

/** A link (hard or symbolic) to `source`, as found or made: `target` is its `lstat`. */
export function linkRecord(source: string, sourceStat: Stats, targetStat: Stats): Placed {
  return { source, from: stateOf(sourceStat), left: stateOf(targetStat) };
}

/**
 * A copy of `source`: it has the source's size and time (no need to look at it again);
 * `fallback` when it stands for a hard link that proved impossible.
 */
export function copyRecord(source: string, sourceStat: Stats, fallback = false): Placed {
  const { size, mtimeMs } = sourceStat;
  const left = { size, mtimeMs };
  return { source, from: stateOf(sourceStat), left, ...(fallback ? { fallback: true } : {}) };
}

const sha256 = (content: string) => createHash("sha256").update(content).digest("hex");

export function contentRecord(content: string): Placed {
  return { sha256: sha256(content) };
}

/** Whether the file at a target (its `lstat`, or its text) still is as this converter left it. */
export function isAsPlaced(record: Placed | undefined, now: Stats | string): boolean {
  if (record === undefined) return false;
  if ("sha256" in record) return typeof now === "string" && sha256(now) === record.sha256;
  return typeof now !== "string" && sameState(record.left, now);
}

/**
 * Whether what a target is made from is still what it was made from when placed: the same
 * source file unchanged, or the same content. Then a difference at the target is an edit made
 * there since, not news from the input.
 */
export function isSameOrigin(
  record: Placed | undefined,
  origin: { source: string; stat: Stats } | string,
): boolean {
  if (record === undefined) return false;
  if ("sha256" in record) return typeof origin === "string" && sha256(origin) === record.sha256;
  return (
    typeof origin !== "string" &&
    origin.source === record.source &&
    sameState(record.from, origin.stat)
  );
}

function isState(value: unknown): value is FileState {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.size === "number" &&
    typeof v.mtimeMs === "number" &&
    (v.ino === undefined || typeof v.ino === "number")
  );
}

function isPlaced(value: unknown): value is Placed {
  if (value === null || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  if (typeof v.sha256 === "string") return true;
  return (
    typeof v.source === "string" &&
    isState(v.from) &&
    isState(v.left) &&
    (v.fallback === undefined || v.fallback === true)
  );
}

/**
 * The manifest of `output`; empty when there is none. One that cannot be read or parsed counts
 * as empty (with a warning): then no file is taken for ours, so none is replaced unasked.
 */
export function readManifest(output: string, report: Report): PlacedFiles {
  const path = join(output, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Map();
    text = "";
  }
  try {
    const parsed = JSON.parse(text) as { format?: unknown; files?: unknown };
    if (parsed.format !== FORMAT || parsed.files === null || typeof parsed.files !== "object") {
      throw new Error("unknown format");
    }
    const files: PlacedFiles = new Map();
    for (const [target, record] of Object.entries(parsed.files as object)) {
      if (isPlaced(record)) files.set(target, record);
    }
    return files;
  } catch {
    report({
      severity: "warning",
      code: "MANIFEST_UNREADABLE",
      message:
        "the record of earlier runs cannot be read: files that differ from their source are kept, not replaced (--overwrite replaces them)",
      path,
    });
    return new Map();
  }
}

/** The manifest's text: targets in a stable order, so an unchanged output gives the same text. */
export function formatManifest(files: PlacedFiles): string {
  const sorted = [...files.keys()].sort(); // any fixed order will do: code units are quickest
  const body = sorted.map(
    (target) => `    ${JSON.stringify(target)}: ${JSON.stringify(files.get(target))}`,
  );
  return `{\n  "format": ${FORMAT},\n  "files": {\n${body.join(",\n")}\n  }\n}\n`;
}

/** Writes the manifest atomically, unless it already says the same. */
export async function writeManifest(output: string, files: PlacedFiles): Promise<void> {
  const path = join(output, MANIFEST_FILE);
  const text = formatManifest(files);
  const before = await readFile(path, "utf8").catch(() => undefined);
  if (text !== before) await writeFileAtomic(path, text);
}

// The output folder: whether it may be written at all (not inside the input, a folder, empty
// or a dataset), and the lock that makes runs into one output take turns.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync, realpathSync } from "node:fs";
import { rm, stat, utimes, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { withFileLock } from "@radifox/nifti";
import { MANIFEST_FILE, STATE_FOLDER } from "./manifest.js";
import type { Finding } from "./plan.js";

/** Whether `inner` is `outer` or inside it (both absolute, links resolved where they exist). */
export function isInside(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
export function realPathOfMaybeMissing(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : resolve(realPathOfMaybeMissing(parent), basename(path));
  }
}

/**
 * An output that is not a folder, or a folder that holds something but is neither a BIDS
 * dataset nor one of our outputs (say a home folder given by mistake): refused, so that sub-*
 * folders are not strewn into it.
 */
export function outputProblem(output: string): Finding | undefined {
  let names: string[];
  try {
    names = readdirSync(output);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    return {
      severity: "error",
      code: "OUTPUT_NOT_FOLDER",
      message: `the output cannot be used as a folder (${code})`,
      path: output,
    };
  }
  const visible = names.filter((n) => !n.startsWith("."));
  if (names.includes("dataset_description.json") || names.includes(STATE_FOLDER)) return undefined;
  const foreign = visible.filter((name) => !BIDS_ROOT_ENTRY.test(name));
  if (foreign.length === 0) return undefined;
  return {
    severity: "error",
    code: "OUTPUT_NOT_DATASET",
    message: `the output folder holds what a BIDS dataset does not (${foreign.slice(0, 3).join(", ")}${foreign.length > 3 ? ", …" : ""}) and has no dataset_description.json: choose an empty or new folder, or an existing dataset`,
    path: output,
  };
}

/** Names a dataset in the making may hold at its root: BIDS's root files and folders. */
const BIDS_ROOT_ENTRY =
  /^(sub-.+|README(\.(md|rst|txt))?|CHANGES|LICENSE|CITATION\.cff|participants\.(tsv|json)|samples\.(tsv|json)|derivatives|sourcedata|code|stimuli|phenotype)$/;

/** Who holds the output, and what to do when that run is gone. */
export function lockedMessage(output: string): string {
  const lockFile = join(output, `${MANIFEST_FILE}.lock`);
  let holder = "another run";
  try {
    const [host, pid] = readFileSync(lockFile, "utf8").split(" ");
    if (host && pid) holder = `another run (process ${pid} on ${host})`;
  } catch {
    // released meanwhile: the generic words will do
  }
  return `${holder} held the output longer than this run waits; if that run is gone, remove ${lockFile}`;
}

/** How long a run waits for another run into the same output; default 30 minutes. */
const LOCK_TIMEOUT_MS = 30 * 60_000;
/** A lock not refreshed for this long belongs to a run that died (on another host). */
const LOCK_STALE_MS = 5 * 60_000;

/**
 * Runs `task` holding the output's lock, refreshing its time while the task runs, so that a
 * long conversion on another host is not taken for a dead one.
 */
export async function whileHoldingOutput<T>(
  output: string,
  timeoutMs: number | undefined,
  task: () => Promise<T>,
): Promise<T> {
  const manifest = join(output, MANIFEST_FILE);
  return withFileLock(
    manifest,
    async () => {
      const lockFile = `${manifest}.lock`; // withFileLock's naming
      const heartbeat = setInterval(() => {
        const now = new Date();
        utimes(lockFile, now, now).catch(() => {});
      }, LOCK_STALE_MS / 5);
      heartbeat.unref();
      try {
        return await task();
      } finally {
        clearInterval(heartbeat);
      }
    },
    { timeoutMs: timeoutMs ?? LOCK_TIMEOUT_MS, staleMs: LOCK_STALE_MS },
  );
}

/**
 * Whether the file system of `folder` folds case (macOS, Windows shares): a probe file is
 * written under a lower-case name and looked up under the upper-case one.
 */
export async function isCaseInsensitive(folder: string): Promise<boolean> {
  const name = `case-probe-${randomUUID()}`;
  await writeFile(join(folder, name), "", { flag: "wx" });
  try {
    return (await stat(join(folder, name.toUpperCase())).catch(() => undefined)) !== undefined;
  } finally {
    await rm(join(folder, name), { force: true });
  }
}

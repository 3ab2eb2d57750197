// An inter-process lock beside a file: `<file>.lock`, created exclusively, holding the owner's
// host and pid. A lock whose owner died on this host is taken over at once; one from another
// host (a shared file system) when it is older than `staleMs`. The companion of
// writeFileAtomic for read-modify-write and append under concurrency.
import { randomBytes } from "node:crypto";
import { link, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { NiftiError } from "./errors.js";

export interface FileLockOptions {
  /** Give up after this long (default 60 s): `NiftiError` `E_NIFTI_LOCK`. */
  timeoutMs?: number;
  /** A lock from another host older than this is considered abandoned (default 30 s). */
  staleMs?: number;
}

const HOST = hostname();

/**
 * A lock that could not be taken: timed out (`E_NIFTI_LOCK`, `timedOut`) or not creatable
 * (`E_NIFTI_IO`). Its own class, so that callers tell it from the errors of their task.
 */
export class FileLockError extends NiftiError {
  readonly lockPath: string;
  readonly timedOut: boolean;

  constructor(lockPath: string, timedOut: boolean, message: string, cause?: unknown) {
    super(timedOut ? "E_NIFTI_LOCK" : "E_NIFTI_IO", message, { path: lockPath, cause });
    this.name = "FileLockError";
    this.lockPath = lockPath;
    this.timedOut = timedOut;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The lock's text when its owner is gone (dead on this host, or stale elsewhere). */
async function abandoned(lockPath: string, staleMs: number): Promise<string | undefined> {
  let text: string;
  let age: number;
  try {
    text = await readFile(lockPath, "utf8");
    age = Date.now() - (await stat(lockPath)).mtimeMs;
  } catch {
    return undefined; // released meanwhile: just retry
  }
  const [host, pidText] = text.split(" ");
  const pid = Number(pidText);
  if (host === HOST && Number.isInteger(pid) && pid > 0) return isAlive(pid) ? undefined : text;
  return age > staleMs ? text : undefined;
}

/** Moves an abandoned lock aside; only one of several contenders wins the rename. */
async function breakLock(lockPath: string, seen: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}-${randomBytes(4).toString("hex")}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, "utf8").catch(() => seen);
  // Someone else broke it and took it in between: put their lock back if the slot is free.
  if (moved !== seen) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}

/**
 * Creates the lock file with its content in one step: the token is written to a private file
 * that is then hard-linked to the lock name (which fails if the lock exists). A holder killed at
 * any moment thus leaves either no lock or a lock naming it, never an empty one.
 */
async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  const own = `${lockPath}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(own, token, { flag: "wx" });
    await link(own, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    throw new FileLockError(lockPath, false, `cannot create the lock (${code})`, error);
  } finally {
    await unlink(own).catch(() => {});
  }
}

/**
 * Runs `task` while holding the lock of `path` (the file `<path>.lock`). Waits, polling with a
 * growing delay, while another process holds it; throws a {@link FileLockError} after
 * `timeoutMs` or when the lock file cannot be created. Errors of `task` pass through unchanged.
 */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const staleMs = options.staleMs ?? 30_000;
  const token = `${HOST} ${process.pid} ${randomBytes(6).toString("hex")}`;
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  for (;;) {
    if (await tryCreate(lockPath, token)) break;
    const seen = await abandoned(lockPath, staleMs);
    if (seen !== undefined) {
      await breakLock(lockPath, seen);
      continue;
    }
    if (Date.now() > deadline) {
      throw new FileLockError(lockPath, true, "timed out waiting for the lock");
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await task();
  } finally {
    // Remove the lock only while it is still ours.
    const current = await readFile(lockPath, "utf8").catch(() => "");
    if (current === token) await unlink(lockPath).catch(() => {});
  }
}

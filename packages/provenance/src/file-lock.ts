// An inter-process lock beside a file: `<file>.lock`, created exclusively, holding the owner's
// host and pid. A lock whose owner died on this host is taken over at once; one from another
// host (a shared file system) when it is older than `staleMs`.
import { randomBytes } from "node:crypto";
import { link, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { errorMessage, ProvenanceError } from "./errors.js";

export interface FileLockOptions {
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
  /** A lock from another host older than this is considered abandoned (default 30 s). */
  staleMs?: number;
}

const HOST = hostname();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function ownerIsGone(lockPath: string, staleMs: number): Promise<string | undefined> {
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
    throw new ProvenanceError("E_PROV_LOCK", `cannot lock ${lockPath}: ${errorMessage(error)}`, {
      path: lockPath,
      cause: error,
    });
  } finally {
    await unlink(own).catch(() => {});
  }
}

/**
 * Runs `task` while holding the lock of `path`. Waits (polling with a growing delay) while
 * another process holds it; throws `E_PROV_LOCK` after `timeoutMs`.
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
    const abandoned = await ownerIsGone(lockPath, staleMs);
    if (abandoned !== undefined) {
      await breakLock(lockPath, abandoned);
      continue;
    }
    if (Date.now() > deadline) {
      throw new ProvenanceError("E_PROV_LOCK", `timed out waiting for the lock on ${path}`, {
        path,
      });
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

// An inter-process lock beside a file (`<file>.lock`, created exclusively, holding host and pid),
// for read-modify-write of project.json by concurrent imports. The same protocol as
// @radifox/provenance's withFileLock, kept here so that the archive does not depend on the
// provenance package (and its QA and YAML dependencies) for twenty lines.
import { randomBytes } from "node:crypto";
import { link, readFile, rename, stat, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { ArchiveError } from "../errors.js";

const HOST = hostname();

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
  try {
    const text = await readFile(lockPath, "utf8");
    const age = Date.now() - (await stat(lockPath)).mtimeMs;
    const [host, pidText] = text.split(" ");
    const pid = Number(pidText);
    if (host === HOST && Number.isInteger(pid) && pid > 0) return isAlive(pid) ? undefined : text;
    return age > staleMs ? text : undefined;
  } catch {
    return undefined; // released meanwhile
  }
}

/** Writes the token to a private file and links it to the lock name: never an empty lock. */
async function tryCreate(lockPath: string, token: string): Promise<boolean> {
  const own = `${lockPath}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(own, token, { flag: "wx" });
    await link(own, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new ArchiveError("E_ARCHIVE_IMPORT", `cannot lock (${(error as Error).message})`, {
      path: lockPath,
      cause: error,
    });
  } finally {
    await unlink(own).catch(() => {});
  }
}

/** Runs `task` holding the lock of `path`; waits up to `timeoutMs` (default 60 s) for it. */
export async function withFileLock<T>(
  path: string,
  task: () => Promise<T>,
  options: { timeoutMs?: number; staleMs?: number } = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const token = `${HOST} ${process.pid} ${randomBytes(6).toString("hex")}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let delay = 2;
  while (!(await tryCreate(lockPath, token))) {
    const seen = await abandoned(lockPath, options.staleMs ?? 30_000);
    if (seen !== undefined) {
      // Move the abandoned lock aside; of several contenders only one rename succeeds.
      const aside = `${lockPath}.${process.pid}-${randomBytes(4).toString("hex")}.stale`;
      if (
        await rename(lockPath, aside).then(
          () => true,
          () => false,
        )
      ) {
        const moved = await readFile(aside, "utf8").catch(() => seen);
        if (moved !== seen) await link(aside, lockPath).catch(() => {});
        await unlink(aside).catch(() => {});
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new ArchiveError("E_ARCHIVE_IMPORT", "timed out waiting for the lock", { path });
    }
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
  try {
    return await task();
  } finally {
    const current = await readFile(lockPath, "utf8").catch(() => "");
    if (current === token) await unlink(lockPath).catch(() => {});
  }
}

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { NiftiError } from "./errors.js";
import { FileLockError, withFileLock } from "./file-lock.js";

const dir = mkdtempSync(join(tmpdir(), "nifti-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("withFileLock", () => {
  it("lets one holder in at a time and leaves no lock behind", async () => {
    const path = join(dir, "counter");
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(path, async () => {
          inside += 1;
          most = Math.max(most, inside);
          await sleep(5);
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(readdirSync(dir).filter((name) => name.startsWith("counter"))).toEqual([]);
  });

  it("gives up after timeoutMs with a FileLockError E_NIFTI_LOCK; the live holder's lock stays", async () => {
    const path = join(dir, "held");
    writeFileSync(`${path}.lock`, `${hostname()} ${process.pid} other`);
    const failure = await withFileLock(path, async () => "never", { timeoutMs: 50 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(FileLockError);
    expect(failure).toBeInstanceOf(NiftiError);
    expect(failure).toMatchObject({
      code: "E_NIFTI_LOCK",
      timedOut: true,
      lockPath: `${path}.lock`,
    });
    expect(readdirSync(dir)).toContain("held.lock");
  });

  it("takes over at once the lock of a process on this host that is gone", async () => {
    const path = join(dir, "orphan");
    writeFileSync(`${path}.lock`, `${hostname()} 2147483646 gone`);
    await expect(withFileLock(path, async () => "done", { timeoutMs: 1_000 })).resolves.toBe(
      "done",
    );
  });

  it("passes the task's own errors through unchanged", async () => {
    const own = new NiftiError("E_NIFTI_IO", "the task's failure");
    await expect(
      withFileLock(join(dir, "task"), async () => {
        throw own;
      }),
    ).rejects.toBe(own);
  });
});

// Many processes appending to one session record file at once, and writers killed mid-append:
// every record must come out whole, none lost, none interleaved.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseRecords } from "../src/index.js";
import { requireSystem, tempDir } from "./support.js";

const WRITER = fileURLToPath(new URL("./record-writer.mjs", import.meta.url));
const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const dir = tempDir("prov-concurrency-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writer(file: string, count: string, tag: string) {
  return spawn(process.execPath, [WRITER, file, count, tag], { stdio: ["ignore", "pipe", "pipe"] });
}

function finished(child: ReturnType<typeof writer>): Promise<number | null> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) =>
      code === 0 || code === null ? resolve(code) : reject(new Error(stderr)),
    );
  });
}

describe("session record file under concurrent writers", () => {
  it("50 processes x 4 records: all 200 whole, each writer's in order", async () => {
    if (!requireSystem(`built package (${DIST}; run npx tsup)`, existsSync(DIST))) return;
    const file = join(dir, "S_1_Provenance.yml");
    const writers = Array.from({ length: 50 }, (_, w) => finished(writer(file, "4", `w${w}`)));
    await Promise.all(writers);
    const { records, problems } = parseRecords(readFileSync(file, "utf8"), file);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(200);
    expect(records.every((record) => record.idMatches)).toBe(true);
    for (let w = 0; w < 50; w++) {
      const mine = records.filter((r) => r.command.startsWith(`w${w} `)).map((r) => r.command);
      expect(mine).toEqual([0, 1, 2, 3].map((i) => `w${w} ${i}`));
    }
    expect(readdirSync(dir).filter((name) => name.endsWith(".lock"))).toEqual([]);
  }, 120_000);

  it("writers killed (SIGKILL) while appending leave no half record and no stuck lock", async () => {
    if (!requireSystem(`built package (${DIST}; run npx tsup)`, existsSync(DIST))) return;
    const file = join(dir, "K_1_Provenance.yml");
    for (let round = 0; round < 6; round++) {
      const children = Array.from({ length: 4 }, (_, w) =>
        writer(file, "forever", `r${round}w${w}`),
      );
      // Let them get going, then kill each at a different moment.
      await Promise.all(
        children.map(
          (child, w) =>
            new Promise<void>((resolve) => {
              let lines = 0;
              child.stdout?.on("data", (chunk: Buffer) => {
                lines += chunk.toString().split("\n").length - 1;
                if (lines >= 3 + w * 2 && !child.killed) {
                  child.kill("SIGKILL");
                  resolve();
                }
              });
              child.once("close", () => resolve());
            }),
        ),
      );
      await Promise.all(
        children.map(
          (child) =>
            new Promise((r) =>
              child.exitCode !== null || child.signalCode !== null
                ? r(null)
                : child.once("close", r),
            ),
        ),
      );
    }
    // A later writer is not blocked by locks the killed ones held.
    await finished(writer(file, "2", "after"));
    const { records, problems } = parseRecords(readFileSync(file, "utf8"), file);
    expect(problems).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(6 * 4 * 3);
    expect(records.every((record) => record.idMatches)).toBe(true);
    expect(records.slice(-2).map((r) => r.command)).toEqual(["after 0", "after 1"]);
  }, 120_000);
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../src/cli-main.js";

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, "..", "dist", "cli.js");
const scratch = mkdtempSync(join(tmpdir(), "synth-cli-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(...args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe("radifox-synth", () => {
  it("generates a study and prints a one-line summary", async () => {
    const root = join(scratch, "a");
    const result = await run(root, "--shape", "8x8x6", "--sessions", "2", "--images", "3");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toMatch(
      /^radifox-synth: 6 images, 12 files, \d+\.\d MB in \d+\.\d\d s -> .+\n$/,
    );
    expect(readdirSync(join(root, "BENCH-0001", "2", "nii"))).toHaveLength(6);
  });

  it("passes every option on", async () => {
    const root = join(scratch, "b");
    const result = await run(
      root,
      "--project=trial",
      "--subjects=2",
      "--sessions=1",
      "--mp2rage=magphase",
      "--shape=8x8x6",
      "--dtype=float32",
      "--seed=9",
      "--oblique=5",
      "--head",
      "--concurrency=3",
      "--gzip-level=6",
      "--quiet",
    );
    expect(result).toEqual({ code: EXIT.ok, stdout: "", stderr: "" });
    const names = readdirSync(join(root, "TRIAL-0002", "1", "nii"));
    expect(names.filter((n) => n.endsWith(".nii.gz"))).toHaveLength(16);
    expect(names.some((n) => n.includes("-INV2-PHA."))).toBe(true);
  });

  it.each([
    [["--shape", "8x8"], /--shape must be three positive sizes/],
    [["--shape", "0x8x8"], /--shape/],
    [["--subjects", "two"], /--subjects must be an integer/],
    [["--protocol", "fast"], /--protocol must be bench, mp2rage/],
    [["--protocol", "bench", "--mp2rage", "complex"], /mp2rage applies to protocol "mp2rage"/],
    [["--images", "40"], /images must be an integer from 1 to 12/],
    [["--bogus"], /Unknown option '--bogus'/],
    [[], /missing <root>/],
  ])("rejects %j with exit 64", async (args, message) => {
    const withRoot = args.length === 0 ? [] : [join(scratch, "never"), ...args];
    const result = await run(...withRoot);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain("usage: radifox-synth <root>");
    expect(existsSync(join(scratch, "never"))).toBe(false);
  });

  it("shows help and version", async () => {
    expect((await run("--help")).stdout).toContain("--mp2rage SET");
    expect((await run("-V")).stdout).toBe("0.0.0\n");
  });
});

describe("the built bin", () => {
  // The bin is built before tests run (turbo: test depends on build).
  it("runs as a program with the documented exit codes", () => {
    expect(existsSync(bin), `${bin} is missing: build first`).toBe(true);
    const root = join(scratch, "bin");
    const ok = spawnSync(process.execPath, [bin, root, "--shape", "8x8x6", "--images", "1"], {
      encoding: "utf8",
    });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^radifox-synth: 3 images, 6 files/);
    const bad = spawnSync(process.execPath, [bin, root, "--shape", "256x256"], {
      encoding: "utf8",
    });
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/--shape must be three positive sizes/);
  });
});

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli } from "./support.js";

const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

const run = runCli;

let root: string;
const T1 = "STUDY-0001_1_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE";
const T2 = "STUDY-0001_1_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE-ECHO1";
const T1B = "STUDY-0002_2_01-02_BRAIN-T1-SE-2D-AXIAL-POST";
const BAD = "STUDY-0002_01-05_BRAIN-FLAIR-IRFSE-3D-SAGITTAL-PRE";

function touch(path: string, text = "") {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "radifox-cli-")));
  const s1 = join(root, "study", "STUDY-0001", "1");
  const s2 = join(root, "study", "STUDY-0002", "2");
  for (const [dir, name, description] of [
    [s1, T1, "SAG T1 MPRAGE"],
    [s1, T2, "AX T2"],
    [s2, T1B, "AX T1 POST"],
    [s2, BAD, "FLAIR"],
  ] as const) {
    touch(join(dir, "nii", `${name}.nii.gz`));
    touch(
      join(dir, "nii", `${name}.json`),
      JSON.stringify({ SeriesInfo: { SeriesDescription: description } }),
    );
  }
  touch(join(s1, "proc", `${T1}_n4.nii.gz`));
  touch(
    join(root, "study", "study-lut.csv"),
    "Project,Site,InstitutionName,SeriesDescription,OutputFilename\n",
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("radifox (top level)", () => {
  it("prints the version of the package", async () => {
    const { code, stdout } = await run(["--version"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
  it("prints help, and usage errors exit 64", async () => {
    expect((await run(["--help"])).stdout).toContain("name parse");
    const unknown = await run(["frobnicate"]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain("unknown command");
    expect((await run(["ls", "--nope", "."])).code).toBe(EXIT.usage);
  });

  it("prints help on stderr and exits 64 without a command", async () => {
    const { code, stdout, stderr } = await run([]);
    expect([code, stdout]).toEqual([EXIT.usage, ""]);
    expect(stderr).toContain("Usage: radifox");
  });

  it("shows the name commands' help for radifox name --help", async () => {
    const { code, stdout } = await run(["name", "--help"]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("radifox name parse");
  });

  it("still prints a JSON document when --json meets an error", async () => {
    const { code, stdout } = await run(["ls", join(root, "nope"), "--json"]);
    expect(code).toBe(EXIT.noInput);
    expect(JSON.parse(stdout)).toEqual({
      error: { exitCode: 66, message: expect.stringContaining("is not a folder") },
    });
  });
});

describe("radifox ls", () => {
  it("lists every image of a project, in path order, relative to the folder", async () => {
    const { code, stdout, stderr } = await run(["ls", join(root, "study")]);
    expect(code).toBe(EXIT.ok);
    expect(stdout.trim().split("\n")).toEqual([
      `STUDY-0001/1/nii/${T1}.nii.gz`,
      `STUDY-0001/1/nii/${T2}.nii.gz`,
      `STUDY-0002/2/nii/${BAD}.nii.gz`,
      `STUDY-0002/2/nii/${T1B}.nii.gz`,
    ]);
    expect(stderr).toContain("4 images in 2 sessions");
    expect(stderr).toContain(`problem: STUDY-0002/2/nii/${BAD}.nii.gz: missing session id`);
  });

  it("filters with the extended grammar and reads folders relative to the working directory", async () => {
    const { stdout } = await run(
      ["ls", "study", "--filter", "modality=T1;excontrast!=POST", "--folders", "nii,proc"],
      root,
    );
    expect(stdout.trim().split("\n")).toEqual([
      `STUDY-0001/1/nii/${T1}.nii.gz`,
      `STUDY-0001/1/proc/${T1}_n4.nii.gz`,
    ]);
  });

  it("keeps images matching any of several filters", async () => {
    const { stdout } = await run([
      "ls",
      join(root, "study"),
      "-f",
      "extras~ECHO1",
      "-f",
      "excontrast=POST",
    ]);
    expect(stdout.trim().split("\n")).toEqual([
      `STUDY-0001/1/nii/${T2}.nii.gz`,
      `STUDY-0002/2/nii/${T1B}.nii.gz`,
    ]);
  });

  it("prints JSON with name parts, sidecar descriptions and problems", async () => {
    const { code, stdout } = await run([
      "ls",
      join(root, "study", "STUDY-0001"),
      "--json",
      "--info",
    ]);
    expect(code).toBe(EXIT.ok);
    const doc = JSON.parse(stdout);
    expect(doc.summary).toEqual({ sessions: 1, scanned: 2, matched: 2, problems: 0 });
    expect(doc.images[1]).toMatchObject({
      relativePath: `1/nii/${T2}.nii.gz`,
      subjectId: "STUDY-0001",
      studyNumber: "01",
      seriesNumber: "04",
      modality: "T2",
      extras: ["ECHO1"],
      tags: [],
      seriesDescription: "AX T2",
    });
  });

  it("reports names that lack a filtered component instead of failing, and --strict exits 65", async () => {
    const { code, stdout } = await run([
      "ls",
      join(root, "study"),
      "--json",
      "--strict",
      "-f",
      "modality=FLAIR",
    ]);
    expect(code).toBe(EXIT.dataError);
    const doc = JSON.parse(stdout);
    expect(doc.images).toEqual([]);
    expect(doc.problems.map((p: { path: string }) => p.path)).toEqual([
      join(root, "study", "STUDY-0002", "2", "nii", `${BAD}.nii.gz`),
    ]);
  });

  it("takes the level and folders to read, and refuses empty or unknown ones", async () => {
    const nii = join(root, "study", "STUDY-0001", "1", "nii");
    const auto = await run(["ls", nii]);
    expect(auto.code).toBe(EXIT.noInput);
    expect(auto.stderr).toContain("is a session's nii/ folder");
    expect(
      (await run(["ls", join(root, "study", "STUDY-0001", "1"), "--level", "session"])).stdout,
    ).toContain(T1);
    expect((await run(["ls", root, "--level", "planet"])).code).toBe(EXIT.usage);
    expect((await run(["ls", root, "--folders", ""])).code).toBe(EXIT.usage);
  });

  it("rejects a bad filter with exit 64 and names the token", async () => {
    const { code, stderr } = await run(["ls", root, "--filter", "bodypart=BRAIN;colour=red"]);
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(/bad filter .*colour/);
  });

  it("exits 66 for a missing folder", async () => {
    const { code, stderr } = await run(["ls", join(root, "nope")]);
    expect(code).toBe(EXIT.noInput);
    expect(stderr).toContain("is not a folder");
  });

  it("reports a session folder that cannot be read and goes on", async () => {
    // A file where the nii/ folder should be: reading it fails (ENOTDIR), even for root.
    const session = join(root, "study", "STUDY-0003", "1");
    touch(join(session, "nii"), "not a folder");
    try {
      const { code, stdout, stderr } = await run(["ls", join(root, "study")]);
      expect(code).toBe(EXIT.ok);
      expect(stdout).toContain(T1);
      expect(stderr).toMatch(/problem: STUDY-0003\/1\/nii: cannot read folder \(ENOTDIR/);
    } finally {
      rmSync(join(root, "study", "STUDY-0003"), { recursive: true });
    }
  });
});

describe("radifox name parse", () => {
  it("explains a valid name part by part", async () => {
    const { code, stdout } = await run(["name", "parse", `/any/dir/${T2}_n4.nii.gz`]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("image id     01-04  (study 01, series 04)");
    expect(stdout).toContain("extras       ECHO1");
    expect(stdout).toContain("tags         n4");
  });

  it("points at the wrong part and exits 65", async () => {
    const { code, stdout } = await run(["name", "parse", `${BAD}.nii.gz`]);
    expect(code).toBe(EXIT.dataError);
    const lines = stdout.split("\n");
    expect(lines[2]).toBe(`  ${" ".repeat("STUDY-0002_".length)}^^^^^`);
    expect(lines[3]).toContain("missing session id");
  });

  it("prints JSON with the error position", async () => {
    const { stdout } = await run([
      "name",
      "parse",
      "--json",
      `${T1}.nii.gz`,
      "S_1_01-03_BRAIN-T1.nii.gz",
    ]);
    const doc = JSON.parse(stdout);
    expect(doc[0]).toMatchObject({ ok: true, parts: { modality: "T1", ext: ".nii.gz" } });
    expect(doc[1]).toMatchObject({
      ok: false,
      error: { code: "E_NAME_SYNTAX", part: "technique" },
    });
  });
});

describe("the built bin", () => {
  // The bin is built before tests run (turbo: test depends on build).
  it("runs as a program with the documented exit codes", () => {
    expect(existsSync(bin), `${bin} is missing: build first`).toBe(true);
    const ok = spawnSync(process.execPath, [bin, "ls", join(root, "study"), "-l"], {
      encoding: "utf8",
    });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^SUBJECT\s+SESSION\s+ID\s+TYPE/);
    const bad = spawnSync(process.execPath, [bin, "name", "parse", "x"], { encoding: "utf8" });
    expect(bad.status).toBe(EXIT.dataError);
  });
});

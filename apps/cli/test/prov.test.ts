// radifox run and radifox prov: real programs run on a temporary study, then the records are
// shown, verified, traced and exported through main() with captured output.

import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EXIT } from "../src/index.js";
import { runCli } from "./support.js";

const NAME = "SUBJ-1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE";
const DIGEST = `sha256:${"cd34".repeat(16)}`;
const LABELS_FILE_PRESENT = existsSync("/.singularity.d/labels.json");

const radifox = runCli;

let root: string;
let project: string;
let session: string;
let raw: string;
let copy: string;
let upper: string;
let sessionFile: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "radifox-prov-cli-")));
  project = join(root, "study");
  session = join(project, "SUBJ-1", "1");
  raw = join(session, "nii", `${NAME}.txt`);
  copy = join(session, "proc", `${NAME}_copy.txt`);
  upper = join(session, "proc", `${NAME}_upper.txt`);
  sessionFile = join(session, "SUBJ-1_1_Provenance.yml");
  mkdirSync(dirname(raw), { recursive: true });
  mkdirSync(dirname(copy), { recursive: true });
  writeFileSync(raw, "hello brain\n");
  vi.stubEnv("USER", "tester");
  vi.stubEnv("RADIFOX_CONTAINER_IMAGE", "ghcr.io/lab/tools");
  vi.stubEnv("RADIFOX_CONTAINER_TAG", "v1.2");
  vi.stubEnv("RADIFOX_CONTAINER_COMMIT", "0123abcd4567");
  vi.stubEnv("RADIFOX_CONTAINER_BUILDER", "ci-bot");
  vi.stubEnv("RADIFOX_CONTAINER_TIMESTAMP", "2024-01-01T00:00:00Z");
  vi.stubEnv("RADIFOX_CONTAINER_DIGEST", DIGEST);
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

/** The arguments of a `radifox run` copying `raw` to `copy` with `cp`. */
const copyRun = [
  "run",
  "--name",
  "copy",
  "--version",
  "1.0.0",
  "--input",
  `in_file=study/SUBJ-1/1/nii/${NAME}.txt`,
  "--output",
  `out_file=study/SUBJ-1/1/proc/${NAME}_copy.txt`,
  "--param",
  "mode=plain",
  "--no-qa",
  "--",
  "cp",
  `study/SUBJ-1/1/nii/${NAME}.txt`,
  `study/SUBJ-1/1/proc/${NAME}_copy.txt`,
];

describe("radifox run", () => {
  it("runs a program, prints its log and leaves records", async () => {
    const { code, stdout, stderr } = await radifox(copyRun, root);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain("[INFO] Beginning processing using: copy v1.0.0.");
    expect(stdout).toContain("[INFO] Processing complete.");
    expect(stderr).toMatch(/^radifox run: record [0-9a-f]{12} written to /);
    expect(readFileSync(copy, "utf8")).toBe("hello brain\n");
    const prov = readFileSync(join(session, "proc", `${NAME}_copy.prov`), "utf8");
    expect(readFileSync(sessionFile, "utf8")).toBe(prov);
    expect(prov).toContain("Module: copy:1.0.0\n");
    expect(prov).toContain(`Command: ${copyRun.join(" ")}\n`);
    expect(prov).toContain(`  in_file: SUBJ-1/1/nii/${NAME}.txt:sha256:`);
    expect(prov).toContain(`  out_file: SUBJ-1/1/proc/${NAME}_copy.txt:sha256:`);
    expect(prov).toContain("Parameters: \n  mode: plain\n");
    expect(prov).toContain("Status: success\nExitCode: 0\n");
    if (!LABELS_FILE_PRESENT) {
      expect(prov).toContain("  url: ghcr.io/lab/tools:v1.2@0123abcd\n");
      expect(prov).toContain("ContainerSource: environment\n");
    }
  });

  it("chains a second program whose record names the first as parent", async () => {
    const { code } = await radifox(
      [
        "run",
        "--name",
        "upper",
        "--version",
        "2.0.0",
        "--input",
        `in_file=${copy}`,
        "--output",
        `out_file=${upper}`,
        "--no-qa",
        "--",
        "/bin/sh",
        "-c",
        'tr a-z A-Z < "$0" > "$1"',
        copy,
        upper,
      ],
      root,
    );
    expect(code).toBe(EXIT.ok);
    expect(readFileSync(upper, "utf8")).toBe("HELLO BRAIN\n");
    const copyId = /^Id: (\w+)$/m.exec(
      readFileSync(join(session, "proc", `${NAME}_copy.prov`), "utf8"),
    )?.[1];
    expect(readFileSync(join(session, "proc", `${NAME}_upper.prov`), "utf8")).toContain(
      `Parents: \n  in_file: ${copyId}\n`,
    );
  });

  it("passes a program's exit status through and records the failure", async () => {
    const { code, stderr } = await radifox(
      [
        "run",
        "--name",
        "fail",
        "--version",
        "1",
        "--input",
        `in_file=${raw}`,
        "--output",
        `out_file=${join(session, "proc", "never.txt")}`,
        "--no-qa",
        "--",
        "/bin/sh",
        "-c",
        "exit 3",
      ],
      root,
    );
    expect(code).toBe(3);
    expect(stderr).toContain("radifox run: fail: /bin/sh exited with status 3");
    const text = readFileSync(sessionFile, "utf8");
    const failure = text.slice(text.lastIndexOf("---\n"));
    expect(failure).toContain("Module: fail:1\n");
    expect(failure).toContain("Status: failed\nExitCode: 3\n");
    expect(existsSync(join(session, "proc", "never.prov"))).toBe(false);
  });

  it("exits 1 when the program does not make its output, 64 for bad usage", async () => {
    const missing = await radifox(
      [
        "run",
        "--name",
        "lazy",
        "--version",
        "1",
        "--input",
        `in_file=${raw}`,
        "--output",
        `out_file=${join(session, "proc", "lazy.txt")}`,
        "--no-qa",
        "--",
        "true",
      ],
      root,
    );
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toContain("reported output not found");
    const noDash = await radifox(["run", "--name", "x", "--version", "1", "cp", "a", "b"]);
    expect(noDash.code).toBe(EXIT.usage);
    expect(noDash.stderr).toContain("the command goes after '--'");
    const badPair = await radifox([
      "run",
      "--name",
      "x",
      "--version",
      "1",
      "--input",
      "a",
      "--",
      "cp",
    ]);
    expect(badPair.code).toBe(EXIT.usage);
    expect(badPair.stderr).toContain('--input expects key=value, got "a"');
    const noName = await radifox([
      "run",
      "--version",
      "1",
      "--input",
      "a=b",
      "--output",
      "c=d",
      "--",
      "cp",
    ]);
    expect(noName.code).toBe(EXIT.usage);
    expect((await radifox(["run", "--help"])).stdout).toContain("Usage: radifox run");
  });
});

describe("radifox prov", () => {
  it("shows the record of a file, and records as JSON", async () => {
    const { code, stdout } = await radifox(["prov", "show", copy], root);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^copy:1\.0\.0 {2}record [0-9a-f]{12} {2}success\n/);
    expect(stdout).toContain("  user       tester@");
    expect(stdout).toMatch(
      new RegExp(`out_file {2}SUBJ-1/1/proc/${NAME}_copy\\.txt {2}sha256 [0-9a-f]{12}\\n`),
    );
    expect(stdout).toContain("    mode  plain\n");
    expect(stdout).toContain("    in_file  raw input\n");

    const json = await radifox(["prov", "show", "--json", session], root);
    expect(json.code).toBe(EXIT.ok);
    const doc = JSON.parse(json.stdout);
    expect(doc.kind).toBe("session");
    expect(
      doc.records.map((r: { module: string; status: string }) => [r.module, r.status]),
    ).toEqual([
      ["copy", "success"],
      ["upper", "success"],
      ["fail", "failed"],
      ["lazy", "failed"],
    ]);
    expect(doc.records[2].exitCode).toBe(3);
    expect(doc.records[0].text).toBeUndefined();
  });

  it("verifies a clean session (failed runs are information), then finds a changed output", async () => {
    const clean = await radifox(["prov", "verify", session], root);
    expect(clean.code).toBe(EXIT.ok);
    expect(clean.stdout.split("\n")[0]).toBe(
      "study/SUBJ-1/1: 4 records, 3 files checked, 0 errors, 0 warnings, 2 info",
    );
    expect(clean.stdout).toContain("  info     failed-run   SUBJ-1_1_Provenance.yml:");

    writeFileSync(upper, "EDITED\n");
    try {
      const dirty = await radifox(["prov", "verify", session], root);
      expect(dirty.code).toBe(EXIT.dataError);
      expect(dirty.stdout).toMatch(
        new RegExp(
          `  error    modified     proc/${NAME}_upper\\.txt: changed since upper:2\\.0\\.0`,
        ),
      );
      const json = await radifox(["prov", "verify", "--json", session], root);
      const doc = JSON.parse(json.stdout);
      expect(doc.summary).toMatchObject({ sessions: 1, errors: 1, warnings: 0, info: 2 });
      const kinds = doc.sessions[0].findings.map((f: { kind: string; path: string }) => [
        f.kind,
        f.path,
      ]);
      expect(kinds).toEqual([
        ["failed-run", sessionFile],
        ["failed-run", sessionFile],
        ["modified", upper],
      ]);
    } finally {
      writeFileSync(upper, "HELLO BRAIN\n");
    }
    expect((await radifox(["prov", "verify", join(root, "nope")])).code).toBe(EXIT.noInput);
  });

  it("prints a file's lineage as an indented tree and as JSON", async () => {
    const { code, stdout } = await radifox(["prov", "lineage", upper], project);
    expect(code).toBe(EXIT.ok);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      new RegExp(`^SUBJ-1/1/proc/${NAME}_upper\\.txt {2}\\[upper:2\\.0\\.0, record \\w{12}, `),
    );
    expect(lines[1]).toMatch(
      new RegExp(`^ {2}SUBJ-1/1/proc/${NAME}_copy\\.txt {2}\\[copy:1\\.0\\.0, `),
    );
    expect(lines[2]).toBe(`    SUBJ-1/1/nii/${NAME}.txt  [raw input]`);

    const json = await radifox(["prov", "lineage", "--json", upper]);
    const tree = JSON.parse(json.stdout);
    expect(tree.record.module).toBe("upper");
    expect(tree.inputs[0].inputs[0]).toMatchObject({ file: raw, inputs: [] });

    writeFileSync(raw, "changed\n");
    try {
      const changed = await radifox(["prov", "lineage", upper], project);
      expect(changed.code).toBe(EXIT.dataError);
      expect(changed.stdout).toContain("      ! changed since copy:1.0.0 used it");
    } finally {
      writeFileSync(raw, "hello brain\n");
    }
  });

  it("exports BIDS GeneratedBy and PROV-JSON, to stdout or a file", async () => {
    const bids = await radifox(["prov", "export", "--format", "bids", session], root);
    expect(bids.code).toBe(EXIT.ok);
    const generatedBy = JSON.parse(bids.stdout).GeneratedBy;
    expect(generatedBy.map((g: { Name: string; Version: string }) => [g.Name, g.Version])).toEqual([
      ["copy", "1.0.0"],
      ["upper", "2.0.0"],
    ]);
    if (!LABELS_FILE_PRESENT) {
      expect(generatedBy[0].Container).toEqual({
        Type: "docker",
        Tag: "ghcr.io/lab/tools:v1.2",
        URI: `docker://ghcr.io/lab/tools@${DIGEST}`,
      });
    }

    const out = join(root, "prov.json");
    const prov = await radifox(["prov", "export", "--output", out, copy, upper], root);
    expect([prov.code, prov.stdout]).toEqual([EXIT.ok, ""]);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(Object.keys(doc.activity)).toHaveLength(2);
    expect(Object.keys(doc.entity)).toHaveLength(3);
    expect(Object.values(doc.wasDerivedFrom)).toHaveLength(2);

    expect((await radifox(["prov", "export", "--format", "xml", session])).code).toBe(EXIT.usage);
  });

  it("lists the prov commands and refuses unknown ones", async () => {
    expect((await radifox(["prov", "--help"])).stdout).toContain("lineage <file>");
    const unknown = await radifox(["prov", "frob"]);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain("radifox prov verify");
    expect((await radifox(["--help"])).stdout).toContain("prov verify <session...>");
  });
});

describe("radifox run (the built bin)", () => {
  // The bin is built before tests run (turbo: test depends on build).
  const bin = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");
  it("exits with the program's status and does not linger", () => {
    expect(existsSync(bin), `${bin} is missing: build first`).toBe(true);
    const args = [
      "--input",
      `in_file=${raw}`,
      "--output",
      `out_file=${join(session, "proc", "b.txt")}`,
    ];
    const result = spawnSync(
      process.execPath,
      [
        bin,
        "run",
        "--name",
        "bin",
        "--version",
        "1",
        ...args,
        "--no-qa",
        "--",
        "/bin/sh",
        "-c",
        "exit 7",
      ],
      { encoding: "utf8", timeout: 20_000 },
    );
    expect(result.signal).toBeNull();
    expect(result.status).toBe(7);
    expect(result.stdout).toContain("[ERROR] An error occurred during processing");
  });
});

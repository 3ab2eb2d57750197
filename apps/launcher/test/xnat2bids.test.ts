// xcs xnat2bids: XNAT session folders and a RADIFOX study become BIDS datasets; the dry run,
// the JSON document, re-runs, link modes, conflicts and the exit codes.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { generateStudy } from "@radifox/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, main } from "../src/index.js";
import { runCli } from "./support.js";

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), "xcs-xnat2bids-"));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A new folder below the scratch folder. */
function fresh(name: string): string {
  counter += 1;
  const dir = join(scratch, `${counter}-${name}`);
  mkdirSync(dir);
  return dir;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** One XNAT session folder: scans as [scan id, BIDS base name], and the dataset description. */
function xnatSession(dir: string, scans: readonly (readonly [string, string])[]): string {
  for (const [scan, base] of scans) {
    // A task's sidecar names it, as BIDS requires of bold runs.
    const task = /_task-([a-zA-Z0-9]+)_/.exec(base)?.[1];
    const sidecar = { RepetitionTime: 2.3, ...(task ? { TaskName: task } : {}) };
    write(join(dir, "SCANS", scan, "BIDS", `${base}.json`), `${JSON.stringify(sidecar)}\n`);
    write(join(dir, "SCANS", scan, "NIFTI", `${base}.nii.gz`), `(nifti of scan ${scan})`);
  }
  write(
    join(dir, "RESOURCES", "BIDS", "dataset_description.json"),
    '{"Name": "Study X", "BIDSVersion": "1.8.0"}\n',
  );
  return dir;
}

/** The session of the tests: a T1w, a bold run, and a `dti` scan (no BIDS suffix: skipped). */
const SCANS = [
  ["1", "sub-01_T1w"],
  ["2", "sub-01_task-rest_bold"],
  ["3", "sub-01_dti"],
] as const;

/** `text` as a literal inside a regular expression. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

interface Row {
  target: string;
  source?: string;
  operation: string;
  why: string;
}

describe("xcs xnat2bids on an XNAT session", () => {
  let input: string;
  let output: string;
  beforeAll(() => {
    input = xnatSession(join(fresh("session"), "XNAT_E00001"), SCANS);
    output = join(dirname(input), "bids");
  });

  it("writes the dataset, prints the counts, the skipped scan and where the dataset is", async () => {
    const { code, stdout, stderr } = await runCli(["xnat2bids", input, output]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    for (const file of [
      "dataset_description.json",
      "sub-01/anat/sub-01_T1w.json",
      "sub-01/anat/sub-01_T1w.nii.gz",
      "sub-01/func/sub-01_task-rest_bold.json",
      "sub-01/func/sub-01_task-rest_bold.nii.gz",
    ]) {
      expect(existsSync(join(output, file)), file).toBe(true);
    }
    expect(existsSync(join(output, "sub-01", "dwi"))).toBe(false);
    expect(JSON.parse(readFileSync(join(output, "dataset_description.json"), "utf8")).Name).toBe(
      "Study X",
    );
    // Hard links by default: the NIfTI file is the archive's file.
    const source = join(input, "SCANS/1/NIFTI/sub-01_T1w.nii.gz");
    expect(statSync(join(output, "sub-01/anat/sub-01_T1w.nii.gz")).ino).toBe(statSync(source).ino);

    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^\d+ files: \d+ created, 0 updated, 0 unchanged \(2 hard links, 2 copies, /,
    );
    expect(stdout).toContain(`skipped  ${join(input, "SCANS", "3")}`);
    const skipped = lines.find((line) => line.startsWith("skipped  "));
    expect(skipped).toMatch(/dti/);
    expect(lines.at(-1)).toBe(
      `BIDS dataset in ${output} (1 subject): the BIDS check found no errors`,
    );
  });

  it("changes nothing on a re-run", async () => {
    const { code, stdout } = await runCli(["xnat2bids", input, output]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/^\d+ files: 0 created, 0 updated, \d+ unchanged/);
  });

  it("--dry-run --json plans every file and explains every skipped input, writing nothing", async () => {
    const target = join(dirname(input), "planned");
    const { code, stdout, stderr } = await runCli([
      "xnat2bids",
      "--dry-run",
      "--json",
      input,
      target,
    ]);
    expect([code, stderr]).toEqual([EXIT.ok, ""]);
    expect(existsSync(target)).toBe(false);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      input: "xnat-session",
      dryRun: true,
      link: "hard",
      actions: [],
      subjects: ["01"],
      exitCode: 0,
    });
    const rows = result.rows as Row[];
    expect(rows.map((row) => row.target)).toEqual(
      expect.arrayContaining([
        "dataset_description.json",
        "sub-01/anat/sub-01_T1w.json",
        "sub-01/anat/sub-01_T1w.nii.gz",
        "sub-01/func/sub-01_task-rest_bold.json",
        "sub-01/func/sub-01_task-rest_bold.nii.gz",
      ]),
    );
    for (const row of rows) {
      expect(["link", "write", "keep"]).toContain(row.operation);
      expect(row.why.length, row.target).toBeGreaterThan(0);
    }
    expect(rows.find((row) => row.target === "sub-01/anat/sub-01_T1w.nii.gz")).toMatchObject({
      operation: "link",
      source: join(input, "SCANS/1/NIFTI/sub-01_T1w.nii.gz"),
    });
    expect(result.skipped).toEqual([
      expect.objectContaining({ base: "sub-01_dti", reason: expect.stringMatching(/\w/) }),
    ]);
    expect(result.skipped[0].source).toContain(join(input, "SCANS", "3"));
    for (const finding of result.findings) expect(finding.severity).not.toBe("error");
  });

  it("--dry-run prints the mapping table, the skipped inputs and writes nothing", async () => {
    const target = join(dirname(input), "planned-text");
    const { code, stdout } = await runCli(["xnat2bids", "-n", input, target]);
    expect(code).toBe(EXIT.ok);
    expect(existsSync(target)).toBe(false);
    const source = join(input, "SCANS/1/NIFTI/sub-01_T1w.nii.gz");
    expect(stdout).toMatch(
      new RegExp(
        `^link {3}${literal(source)}  ->  sub-01/anat/sub-01_T1w\\.nii\\.gz  \\(.+\\)$`,
        "m",
      ),
    );
    expect(stdout).toMatch(/^write {2}\(written\) {2}-> {2}participants\.tsv {2}\(.+\)$/m);
    expect(stdout).toMatch(/^skipped {2}.*SCANS\/3.*: .*dti/m);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      new RegExp(
        `^dry run: \\d+ files \\(1 subject\\) would be in the BIDS dataset ${literal(target)}; nothing was written$`,
      ),
    );
  });

  it("--link copy makes copies (one link each); --no-recommended leaves out the extras", async () => {
    const target = join(dirname(input), "copies");
    const { code, stdout } = await runCli([
      "xnat2bids",
      input,
      target,
      "--link",
      "copy",
      "--no-recommended",
      "--quiet",
    ]);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(/\(4 copies, \d+ generated\)/);
    for (const file of [
      "sub-01/anat/sub-01_T1w.nii.gz",
      "sub-01/func/sub-01_task-rest_bold.json",
    ]) {
      expect(statSync(join(target, file)).nlink, file).toBe(1);
    }
    expect(existsSync(join(target, "participants.tsv"))).toBe(false);
    expect(existsSync(join(target, "dataset_description.json"))).toBe(true);
  });

  it("--json prints exactly one document, the whole result", async () => {
    const target = join(dirname(input), "json");
    const { code, stdout } = await runCli(["xnat2bids", input, target, "--json", "--link", "sym"]);
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(stdout);
    expect(Object.keys(result).sort()).toEqual(
      [
        "actions",
        "dryRun",
        "exitCode",
        "findings",
        "input",
        "link",
        "rows",
        "skipped",
        "subjects",
      ].sort(),
    );
    expect(result.actions.length).toBe(result.rows.length);
    for (const action of result.actions) {
      expect(action.action).toBe("created");
      // Images are linked, sidecars copied (edits stay out of the archive), dataset files written.
      const data = action.target.startsWith("sub-");
      const method = action.target.endsWith(".nii.gz") ? "sym" : data ? "copy" : "write";
      expect(action.method, action.target).toBe(method);
    }
  });

  it("prints a progress counter on stderr only on a terminal", async () => {
    const target = join(dirname(input), "progress");
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(["xnat2bids", input, target], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY: true },
    });
    expect(code).toBe(EXIT.ok);
    expect(err.join("")).toMatch(/xnat2bids: \d+\/\d+ files/);
    expect(out.join("")).not.toContain("\r");
  });
});

describe("xcs xnat2bids refusals", () => {
  it("exits 1 and writes nothing when two scans have the same BIDS name, naming both", async () => {
    const input = xnatSession(join(fresh("conflict"), "E1"), [
      ["1", "sub-01_T1w"],
      ["2", "sub-01_T1w"],
    ]);
    const output = join(dirname(input), "bids");
    const { code, stdout } = await runCli(["xnat2bids", input, output]);
    expect(code).toBe(1);
    expect(existsSync(output)).toBe(false);
    const line = stdout.split("\n").find((text) => text.startsWith("error DUPLICATE_TARGET"));
    expect(line).toBeDefined();
    expect(stdout).toContain(join(input, "SCANS", "1"));
    expect(stdout).toContain(join(input, "SCANS", "2"));
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(/^no BIDS dataset written to /);

    const json = await runCli(["xnat2bids", input, output, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).findings).toContainEqual(
      expect.objectContaining({ severity: "error", code: "DUPLICATE_TARGET" }),
    );
    expect(existsSync(output)).toBe(false);
  });

  it("keeps a file that differs in the output (exit 1, EXISTING_DIFFERS); --overwrite replaces it", async () => {
    const input = xnatSession(join(fresh("differs"), "E1"), [["1", "sub-01_T1w"]]);
    const output = join(dirname(input), "bids");
    const sidecar = join(output, "sub-01", "anat", "sub-01_T1w.json");
    write(sidecar, '{"from": "another tool"}\n');
    const { code, stdout } = await runCli(["xnat2bids", input, output]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\d+ files: \d+ created, 0 updated, 0 unchanged, 1 kept/);
    expect(stdout).toMatch(/^error EXISTING_DIFFERS sub-01\/anat\/sub-01_T1w\.json: /m);
    expect(stdout.trimEnd().split("\n").at(-1)).toMatch(
      /but for 1 file that differs from the input and was kept/,
    );
    expect(readFileSync(sidecar, "utf8")).toBe('{"from": "another tool"}\n');

    const forced = await runCli(["xnat2bids", input, output, "--overwrite"]);
    expect(forced.code).toBe(EXIT.ok);
    expect(readFileSync(sidecar, "utf8")).toBe('{"RepetitionTime":2.3}\n');
  });

  it("exits 1 with OUTPUT_INSIDE_INPUT when the output is inside the input", async () => {
    const input = xnatSession(join(fresh("inside"), "E1"), [["1", "sub-01_T1w"]]);
    const { code, stdout } = await runCli(["xnat2bids", input, join(input, "bids")]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error OUTPUT_INSIDE_INPUT /m);
    expect(existsSync(join(input, "bids"))).toBe(false);
  });

  it("exits 1 when no scan has a usable BIDS name", async () => {
    const input = join(fresh("nothing"), "E1");
    write(join(input, "SCANS", "1", "DICOM", "1.dcm"), "(dicom)");
    const { code, stdout } = await runCli(["xnat2bids", input, join(dirname(input), "bids")]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error NO_BIDS_DATA /m);
  });

  it("exits 2 on a missing operand, bad options and an input that is not a folder", async () => {
    const dir = fresh("usage");
    const file = join(dir, "file.txt");
    writeFileSync(file, "not a folder");
    for (const args of [
      ["xnat2bids"],
      ["xnat2bids", dir],
      ["xnat2bids", dir, join(dir, "a"), join(dir, "b")],
      ["xnat2bids", dir, join(dir, "out"), "--link", "reflink"],
      ["xnat2bids", dir, join(dir, "out"), "--input", "bids"],
      ["xnat2bids", dir, join(dir, "out"), "--name", ""],
      ["xnat2bids", dir, join(dir, "out"), "--bogus"],
      ["xnat2bids", join(dir, "missing"), join(dir, "out")],
      ["xnat2bids", file, join(dir, "out")],
    ]) {
      const { code, stdout, stderr } = await runCli(args);
      expect([args, code, stdout]).toEqual([args, EXIT.usage, ""]);
      expect(stderr).toMatch(/^xcs: /);
    }
    const missing = await runCli(["xnat2bids", join(dir, "missing"), join(dir, "out")]);
    expect(missing.stderr).toContain(join(dir, "missing"));
    const json = await runCli(["xnat2bids", dir, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { exitCode: 2, message: expect.stringContaining("no output given") },
    });
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("documents itself", async () => {
    const help = await runCli(["xnat2bids", "--help"]);
    expect([help.code, help.stdout]).toEqual([
      EXIT.ok,
      expect.stringContaining("Usage: xcs xnat2bids [options] <input> <output>"),
    ]);
    expect((await runCli(["help", "xnat2bids"])).stdout).toContain("--no-recommended");
    expect((await runCli(["--help"])).stdout).toContain("xnat2bids <input> <output>");
  });
});

describe("xcs xnat2bids on a RADIFOX study", () => {
  let study: string;
  beforeAll(async () => {
    study = join(fresh("radifox"), "study");
    await generateStudy({ root: study, subjects: 1, sessions: 1, shape: [8, 8, 4], images: 3 });
  });

  it("converts the study", async () => {
    const output = join(dirname(study), "bids");
    const { code, stdout } = await runCli(["xnat2bids", study, output, "--name", "Synth"]);
    expect(code, stdout).toBe(EXIT.ok);
    expect(JSON.parse(readFileSync(join(output, "dataset_description.json"), "utf8")).Name).toBe(
      "Synth",
    );
    expect(stdout).toMatch(/^\d+ files: \d+ created, 0 updated, 0 unchanged/);
    expect(stdout).toContain(`BIDS dataset in ${output} (1 subject)`);
  });

  it("takes a mapping file, and exits 2 for a bad, unreadable or non-JSON one", async () => {
    const dir = dirname(study);
    const output = join(dir, "mapped");
    // Without the ECHO<n> rule the two MEMPRAGE echoes have an extra no rule knows: skipped.
    write(join(dir, "no-echo.json"), JSON.stringify({ extras: { "ECHO(\\d+)": null } }));
    const mapped = await runCli(
      ["xnat2bids", study, output, "--mapping", "no-echo.json", "--dry-run", "--json"],
      { cwd: dir },
    );
    expect(mapped.code).toBe(EXIT.ok);
    const skipped = JSON.parse(mapped.stdout).skipped as { source: string }[];
    expect(skipped.map((s) => s.source).sort()).toEqual([
      expect.stringContaining("ECHO1"),
      expect.stringContaining("ECHO2"),
    ]);
    const plain = await runCli(["xnat2bids", study, output, "--dry-run", "--json"]);
    expect(JSON.parse(plain.stdout).skipped).toEqual([]);

    write(join(dir, "bad.json"), '{"modalities": {"T1": 5}, "extras": {"(": {}}}');
    const bad = await runCli(["xnat2bids", study, output, "--mapping", "bad.json"], { cwd: dir });
    expect([bad.code, bad.stdout]).toEqual([EXIT.usage, ""]);
    expect(bad.stderr).toContain(`mapping file ${join(dir, "bad.json")}`);
    expect(bad.stderr).toContain("bad RADIFOX mapping");

    write(join(dir, "list.json"), "[]");
    write(join(dir, "broken.json"), "{modalities");
    for (const name of ["missing.json", "broken.json", "list.json"]) {
      const run = await runCli(["xnat2bids", study, output, "--mapping", name], { cwd: dir });
      expect([name, run.code, run.stdout]).toEqual([name, EXIT.usage, ""]);
      expect(run.stderr).toContain(join(dir, name));
    }
    expect(existsSync(output)).toBe(false);
  });
});

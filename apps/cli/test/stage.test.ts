// `radifox stage` and `radifox-stage` on generated RADIFOX studies (@radifox/synth), run
// in-process: the plan as JSON, whole projects with a summary table, and the exit codes
// scripts rely on.
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { generateStudy, type SynthStudy } from "@radifox/synth";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, radifoxStage } from "../src/index.js";
import { runCli } from "./support.js";

const SHAPE: [number, number, number] = [32, 32, 24];
const README_IMAGE_TYPES = [
  "bodypart=BRAIN;modality=T1;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;excontrast=POST",
  "bodypart=BRAIN;modality=T2",
  "bodypart=BRAIN;modality=PD",
  "bodypart=BRAIN;modality=FLAIR",
];

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

async function study(label: string, subjects = 1): Promise<SynthStudy> {
  const root = realpathSync(mkdtempSync(join(tmpdir(), `radifox-cli-stage-${label}-`)));
  temps.push(root);
  return generateStudy({ root, subjects, sessions: 2, shape: SHAPE, seed: 5 });
}

/**
 * Every path under `root` with kind, size, link text and modification time. Folder times are
 * left out with `dirTimes: false`: a staging run creates and removes its lock file
 * (`<subject>/.radifox-stage.lock`) even when it refuses to stage.
 */
function listing(root: string, { dirTimes = true } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const info = lstatSync(join(root, child));
      if (info.isSymbolicLink()) out[child] = `-> ${readlinkSync(join(root, child))}`;
      else if (info.isDirectory()) {
        out[child] = dirTimes ? `dir @${info.mtimeMs}` : "dir";
        visit(child);
      } else out[child] = `file ${info.size} @${info.mtimeMs}`;
    }
  };
  visit("");
  return out;
}

const isDir = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** `radifox-stage <args>` in-process with captured output. */
async function runRadifoxStage(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await radifoxStage(args, {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    cwd,
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}

describe("radifox stage", () => {
  // Scripts read the plan as JSON before deciding to stage; planning writes nothing.
  it("prints the plan as JSON with --plan --json and writes nothing", async () => {
    const { root, subjects } = await study("plan");
    const subject = subjects[0]?.dir as string;
    const before = listing(root);
    const run = await runCli(
      [
        "stage",
        subject,
        "--keep-best-res",
        "--image-types",
        ...README_IMAGE_TYPES,
        "--plan",
        "--json",
      ],
      root,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    const plans = JSON.parse(run.stdout) as {
      subjectDir: string;
      sessions: {
        session: string;
        status: string;
        filters: { filter: string }[];
        staged: string[];
      }[];
    }[];
    expect(plans).toHaveLength(1);
    expect(plans[0]?.subjectDir).toBe(subject);
    const sessions = plans[0]?.sessions ?? [];
    expect(sessions.map((s) => s.status)).toEqual(["would-stage", "would-stage"]);
    for (const session of sessions) {
      expect(session.filters.map((f) => f.filter)).toEqual(README_IMAGE_TYPES);
      expect(session.staged).toHaveLength(5);
      for (const path of session.staged) {
        expect(path.startsWith(join(session.session, "stage"))).toBe(true);
        expect(path).toMatch(/_hdrfix\.nii\.gz$/);
      }
    }
    expect(listing(root)).toEqual(before);
  });

  // A whole project in one command, with a table saying which subjects were staged.
  it("stages every subject of --project-dir and prints a summary table", async () => {
    const { root, subjects } = await study("project", 2);
    const run = await runCli(
      ["stage", "--project-dir", root, "--image-types", "modality=T1"],
      root,
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(EXIT.ok);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^subject\s+staged\s+no match\s+skipped\s+files\s+subject target\s+status$/,
    );
    expect(lines).toHaveLength(1 + subjects.length);
    for (const [index, subject] of subjects.entries()) {
      const row = lines[index + 1] as string;
      expect(row.startsWith(relative(root, subject.dir))).toBe(true);
      expect(row).toContain(subject.id);
      expect(row).toMatch(/\sok$/);
      for (const session of subject.sessions) expect(isDir(join(session.dir, "stage"))).toBe(true);
    }
  });

  // Exit codes scripts branch on: 66 missing folder, 64 bad filter, 73 already staged.
  it("exits 66 when the subject folder does not exist", async () => {
    const { root } = await study("missing");
    const run = await runCli(
      ["stage", join(root, "NOPE-0001"), "--image-types", "modality=T1"],
      root,
    );
    expect(run.code).toBe(EXIT.noInput);
    expect(run.code).toBe(66);
    expect(run.stderr).toContain("does not exist");
  });

  it("exits 64 on a bad filter string", async () => {
    const { root, subjects } = await study("badfilter");
    const before = listing(root);
    const run = await runCli(
      ["stage", subjects[0]?.dir as string, "--image-types", "modality"],
      root,
    );
    expect(run.code).toBe(EXIT.usage);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/^radifox stage: bad filter: /);
    expect(listing(root)).toEqual(before);
  });

  it("exits 73 when the subject is already staged", async () => {
    const { root, subjects } = await study("again");
    const subject = subjects[0]?.dir as string;
    const args = ["stage", subject, "--image-types", "modality=T2"];
    expect((await runCli(args, root)).code).toBe(EXIT.ok);
    const before = listing(root, { dirTimes: false });
    const again = await runCli(args, root);
    expect(again.code).toBe(EXIT.cantCreate);
    expect(again.code).toBe(73);
    expect(again.stderr).toContain("already been staged");
    expect(listing(root, { dirTimes: false })).toEqual(before);
  });
});

describe("radifox-stage", () => {
  // Existing scripts of the original check for argparse's exit 2 and its error line.
  it("exits 2 with the original's error line when the subject folder does not exist", async () => {
    const { root } = await study("stage-missing");
    const missing = join(root, "NOPE-0001");
    const run = await runRadifoxStage(["-s", missing, "--image-types", "modality=T1"], root);
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^usage: radifox-stage /);
    expect(lines.at(-1)).toBe(
      `radifox-stage: error: Subject directory (${missing}) does not exist.`,
    );
  });
});

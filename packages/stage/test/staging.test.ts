// Behaviour tests of `planStaging` / `stageSubject` on generated RADIFOX studies (@radifox/synth):
// what users rely on when they stage real subjects. The plan matches the run and writes nothing;
// headers are fixed without touching data (also as nibabel reads them); targets are linked;
// records verify; parallel runs agree with serial ones; plugins, bad sidecars, incomplete MP2RAGE
// sets and filters without matches behave as documented; a failure, a full disk or a killed run
// leaves no session half staged and the raw images untouched.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { ImageFilter } from "@radifox/naming";
import {
  bestAffine,
  createImage,
  qformAffine,
  readHeader,
  readImage,
  sformAffine,
  writeImage,
} from "@radifox/nifti";
import { verifySession } from "@radifox/provenance";
import {
  generateStudy,
  type SynthOptions,
  type SynthSession,
  type SynthSubject,
} from "@radifox/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MEMPRAGEPlugin,
  planStaging,
  StageError,
  type StageOptions,
  type StagePlan,
  type StageResult,
  type StagingPlugin,
  stageSubject,
  WORK_PREFIX,
} from "../src/index.js";
import { logLines, requireSystem, sha256, tempDir, walk } from "./support.js";

const here = dirname(fileURLToPath(import.meta.url));
const CLI_BIN = join(here, "../../../apps/cli/dist/bin.js");
const SMALL: [number, number, number] = [32, 32, 24];

// ---------------------------------------------------------------------------------------------
// Helpers

const filters = (...texts: string[]) => texts.map((text) => ImageFilter.fromString(text));

/** The README's filters (spec 5.10). */
const README_IMAGE_TYPES = filters(
  "bodypart=BRAIN;modality=T1;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;excontrast=POST",
  "bodypart=BRAIN;modality=T2",
  "bodypart=BRAIN;modality=PD",
  "bodypart=BRAIN;modality=FLAIR",
);
const README_REG_FILTERS = filters(
  "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=PRE",
  "bodypart=BRAIN;modality=T1;acqdim=3D;excontrast=POST",
  "bodypart=BRAIN;acqdim=3D",
  "bodypart=BRAIN;acqdim=2D",
);

const readme = (subjectDir: string): StageOptions => ({
  subjectDir,
  imageTypes: README_IMAGE_TYPES,
  regFilters: README_REG_FILTERS,
  keepBestRes: true,
});

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder (real path, so links and results compare), removed afterwards. */
function scratch(label: string): string {
  const dir = realpathSync(tempDir(`radifox-staging-${label}-`));
  temps.push(dir);
  return dir;
}

/** One generated subject (2 small bench sessions unless told otherwise) and its study root. */
async function generated(
  label: string,
  options: Partial<Omit<SynthOptions, "root">> = {},
): Promise<{ root: string; subject: SynthSubject }> {
  const root = scratch(label);
  const study = await generateStudy({
    root,
    subjects: 1,
    sessions: 2,
    shape: SMALL,
    seed: 11,
    ...options,
  });
  return { root, subject: study.subjects[0] as SynthSubject };
}

/** Every path under `root` with its kind, size, link text and (for files, links and, when
 * asked, folders) modification time: two equal listings mean nothing was written. */
function listing(root: string, options: { dirTimes?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, kind] of walk(root)) {
    const path = join(root, rel);
    const info = lstatSync(path);
    if (kind === "symlink") out[rel] = `symlink -> ${readlinkSync(path)} @${info.mtimeMs}`;
    else if (kind === "file") out[rel] = `file ${info.size} @${info.mtimeMs}`;
    else out[rel] = options.dirTimes ? `dir @${info.mtimeMs}` : "dir";
  }
  return out;
}

/** `stage/` folders and private work folders anywhere under `root`. */
function stageFolders(root: string): string[] {
  return [...walk(root)]
    .filter(([rel, kind]) => {
      const name = basename(rel);
      return kind === "dir" && (name === "stage" || name.startsWith(WORK_PREFIX));
    })
    .map(([rel]) => rel);
}

/** sha256 of every file in a `nii/` folder under `root`. */
function niiHashes(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, kind] of walk(root)) {
    if (kind === "file" && rel.split("/").includes("nii")) {
      out[rel] = sha256(readFileSync(join(root, rel)));
    }
  }
  return out;
}

/** `[LEVEL, message]` of every log line of a session (all of `<session>/logs/`). */
function sessionLogs(session: string): [string, string][] {
  const dir = join(session, "logs");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => logLines(readFileSync(join(dir, name), "utf8")));
}

const warnings = (session: string) =>
  sessionLogs(session)
    .filter(([level]) => level === "WARNING")
    .map(([, message]) => message);

/** Image files (not `.prov`, not links) of a session's `stage/`. */
function stagedImages(session: string): string[] {
  return readdirSync(join(session, "stage"))
    .filter((name) => name.endsWith(".nii.gz"))
    .sort();
}

function sessionOf(result: StageResult, dir: string) {
  const found = result.sessions.find((session) => session.session === dir);
  if (!found) throw new Error(`no result for ${dir}`);
  return found;
}

async function failure(promise: Promise<unknown>): Promise<StageError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StageError);
  return error as StageError;
}

function expectAffinesClose(a: number[][], b: number[][], tolerance = 1e-5): void {
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      expect(Math.abs((a[i]?.[j] as number) - (b[i]?.[j] as number))).toBeLessThanOrEqual(
        tolerance,
      );
    }
  }
}

const bytesOf = (data: ArrayBufferView) =>
  Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/** The `nii/` original of a staged `_hdrfix` copy, or null for plugin outputs (`_sum`...). */
function sourceOf(staged: string): string | null {
  const session = dirname(dirname(staged));
  const source = join(session, "nii", basename(staged).replace(/_hdrfix\.nii\.gz$/, ".nii.gz"));
  return existsSync(source) ? source : null;
}

interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function finished(child: ReturnType<typeof spawn>): Promise<ProcessResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const shQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

const hasBash = () => spawnSync("bash", ["-c", "exit 0"]).status === 0;

// ---------------------------------------------------------------------------------------------
// 1 + 2. A full run with the README's filters

describe("a full run with the README's filters and --keep-best-res", () => {
  let root: string;
  let subject: SynthSubject;
  let beforePlan: Record<string, string>;
  let afterPlan: Record<string, string>;
  let plan: StagePlan;
  let result: StageResult;

  beforeAll(async () => {
    ({ root, subject } = await generated("readme"));
    beforePlan = listing(root, { dirTimes: true });
    plan = await planStaging(readme(subject.dir));
    afterPlan = listing(root, { dirTimes: true });
    result = await stageSubject(readme(subject.dir), { durable: false });
  }, 60_000);

  // Users run --plan on live studies: it must not create, change or touch anything.
  it("plans without writing anything", () => {
    expect(afterPlan).toEqual(beforePlan);
    expect(plan.sessions.map((s) => s.status)).toEqual(["would-stage", "would-stage"]);
  });

  // The plan is a promise: the run stages exactly the files and targets it announced.
  it("stages what the plan announced", () => {
    expect(result.sessions.map((s) => s.session)).toEqual(subject.sessions.map((s) => s.dir));
    for (const planned of plan.sessions) {
      const done = sessionOf(result, planned.session);
      expect(done.status).toBe("staged");
      expect(done.staged).toEqual(planned.staged);
      expect(stagedImages(planned.session)).toEqual(planned.staged.map((p) => basename(p)).sort());
      expect(done.sessionTarget).toBe(planned.sessionTarget?.path);
      expect(done.subjectTarget).toBe(plan.subjectTarget?.path);
    }
    // One image per filter (keep-best-res), the MEMPRAGE echo sum winning the T1 PRE filter.
    const first = result.sessions[0]?.staged.map((p) => basename(p)) ?? [];
    expect(first).toHaveLength(5);
    expect(first[0]).toMatch(/_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1_sum_hdrfix\.nii\.gz$/);
    expect(result.subjectTarget).toBe(result.sessions[0]?.staged[0]);
  });

  // Registration needs qform = sform (codes 2/1) and the voxels exactly as acquired.
  it("fixes every header and leaves the data as it was", async () => {
    let compared = 0;
    for (const session of result.sessions) {
      for (const staged of session.staged) {
        expect(staged).toMatch(/_hdrfix\.nii\.gz$/);
        const header = await readHeader(staged);
        expect(header.qformCode).toBe(2);
        expect(header.sformCode).toBe(1);
        expectAffinesClose(qformAffine(header), sformAffine(header));
        const source = sourceOf(staged);
        if (source === null) continue; // a plugin output (the echo sum)
        const [copy, original] = [await readImage(staged), await readImage(source)];
        expect(copy.header.datatype).toBe(original.header.datatype);
        expect(copy.shape).toEqual(original.shape);
        expect([copy.header.sclSlope, copy.header.sclInter]).toEqual([
          original.header.sclSlope,
          original.header.sclInter,
        ]);
        expect(bytesOf(copy.data).equals(bytesOf(original.data))).toBe(true);
        expectAffinesClose(sformAffine(header), sformAffine(original.header));
        compared++;
      }
    }
    expect(compared).toBe(8); // T1 POST, T2, PD, FLAIR of both sessions
  });

  // Downstream tools follow stage/session-target and stage/subject-target.
  it("links the targets with relative links that resolve", () => {
    for (const session of result.sessions) {
      const stage = join(session.session, "stage");
      const sessionLink = join(stage, "session-target");
      const subjectLink = join(stage, "subject-target");
      for (const link of [sessionLink, subjectLink]) {
        expect(lstatSync(link).isSymbolicLink()).toBe(true);
        expect(isAbsolute(readlinkSync(link))).toBe(false);
        expect(existsSync(link)).toBe(true);
      }
      expect(readlinkSync(sessionLink)).toMatch(/^\.\.\/stage\//);
      expect(readlinkSync(subjectLink)).toMatch(/^\.\.\/\.\.\//);
      expect(realpathSync(sessionLink)).toBe(session.sessionTarget);
      expect(realpathSync(subjectLink)).toBe(result.subjectTarget);
    }
  });

  // Provenance: one record per session, a .prov per staged file, and the session verifies.
  it("records every session so that it verifies", async () => {
    for (const session of subject.sessions) {
      const recordFile = join(session.dir, `${subject.id}_${session.id}_Provenance.yml`);
      const text = readFileSync(recordFile, "utf8");
      expect(text.match(/^Id: [0-9a-f]{64}$/gm)).toHaveLength(1);
      expect(text).toMatch(/^Module: staging:/m);
      const staged = sessionOf(result, session.dir).staged;
      for (const path of staged) {
        expect(existsSync(path.replace(/\.nii\.gz$/, ".prov"))).toBe(true);
        expect(text).toContain(basename(path));
      }
      const report = await verifySession(session.dir);
      expect(report.findings.filter((finding) => finding.severity === "error")).toEqual([]);
    }
    expect(result.records.length).toBe(2);
  });

  // Reviewers look at the QA montages of what was staged.
  it("writes a QA picture per staged image", () => {
    for (const session of result.sessions) {
      for (const staged of session.staged) {
        const png = join(
          session.session,
          "qa",
          "staging",
          basename(staged).replace(/\.nii\.gz$/, ".png"),
        );
        expect(result.qaImages).toContain(png);
        expect(readFileSync(png).subarray(1, 4).toString()).toBe("PNG");
      }
    }
  });

  // CI requirement: the Python tools users feed stage/ to see the same headers and data.
  it("gives nibabel qform = sform (codes 2/1) and the original data", () => {
    const probe = spawnSync("/usr/bin/python3", ["-c", "import nibabel, numpy"]);
    if (!requireSystem("python3 with nibabel and numpy", probe.status === 0)) return;
    const pairs = result.sessions.flatMap((s) => s.staged.map((p) => [p, sourceOf(p)]));
    const script = `
import json, sys
import nibabel as nib
import numpy as np
problems = []
pairs = json.load(sys.stdin)
for staged, source in pairs:
    img = nib.load(staged)
    _, qcode = img.get_qform(coded=True)
    _, scode = img.get_sform(coded=True)
    if int(qcode) != 2 or int(scode) != 1:
        problems.append(f"{staged}: qform/sform codes {qcode}/{scode}")
    if not np.allclose(img.get_qform(), img.get_sform()):
        problems.append(f"{staged}: qform != sform")
    if source is not None and not np.array_equal(img.get_fdata(), nib.load(source).get_fdata()):
        problems.append(f"{staged}: data differs from {source}")
print(json.dumps({"checked": len(pairs), "problems": problems}))
`;
    const run = spawnSync("/usr/bin/python3", ["-c", script], {
      input: JSON.stringify(pairs),
      encoding: "utf8",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ checked: 10, problems: [] });
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Parallel sessions

// `--jobs` is only about speed: the same files, links and log lines as a serial run.
it("stages the same with jobs: 2 as with jobs: 1", async () => {
  const runs = [];
  for (const jobs of [1, 2]) {
    const { root, subject } = await generated(`jobs${jobs}`, { sessions: 3 });
    const result = await stageSubject(readme(subject.dir), { durable: false, jobs });
    const links: Record<string, string> = {};
    const logs: Record<string, string[]> = {};
    for (const session of subject.sessions) {
      for (const name of ["session-target", "subject-target"]) {
        links[`${session.id}/${name}`] = readlinkSync(join(session.dir, "stage", name));
      }
      logs[session.id] = sessionLogs(session.dir).map(([level, message]) =>
        `${level} ${message}`.split(root).join("{ROOT}"),
      );
    }
    runs.push({
      staged: result.sessions.map((s) => s.staged.map((p) => relative(root, p))),
      listed: subject.sessions.map((s) => stagedImages(s.dir)),
      links,
      logs,
    });
  }
  expect(runs[1]).toEqual(runs[0]);
  expect(runs[0]?.staged.flat()).toHaveLength(15);
}, 60_000);

// ---------------------------------------------------------------------------------------------
// 4 + 5. Plugins

// A failing plugin must not leave any session half staged, nor touch the raw data.
it.each([1, 2])("rolls everything back when a plugin throws (jobs: %i)", async (jobs) => {
  const { root, subject } = await generated(`boom${jobs}`);
  const before = niiHashes(root);
  const boom: StagingPlugin = {
    name: "Boom",
    filter: (images) => images.filter((image) => image.modality === "T2"),
    run: () => {
      throw new Error("boom");
    },
  };
  const error = await failure(
    stageSubject({ ...readme(subject.dir), plugins: [boom] }, { durable: false, jobs }),
  );
  expect(error.code).toBe("E_STAGE_PLUGIN");
  expect(error.message).toContain("boom");
  expect(stageFolders(root)).toEqual([]);
  expect(niiHashes(root)).toEqual(before);
});

// A plugin holds several volumes at once: parallel sessions take turns to run one.
it("runs one plugin at a time across parallel sessions", async () => {
  const { subject } = await generated("turns", { sessions: 3 });
  let running = 0;
  let most = 0;
  let runs = 0;
  const counted: StagingPlugin = {
    ...MEMPRAGEPlugin,
    async run(images, context) {
      running++;
      if (images.length > 0) runs++; // plugins also run on filters that gave them nothing
      most = Math.max(most, running);
      try {
        return await MEMPRAGEPlugin.run(images, context);
      } finally {
        running--;
      }
    },
  };
  const result = await stageSubject(
    { ...readme(subject.dir), plugins: [counted], skipDefaultPlugins: true },
    { durable: false, jobs: 3 },
  );
  expect(runs).toBe(3);
  expect(most).toBe(1);
  expect(result.sessions.flatMap((s) => s.staged).filter((p) => p.includes("_sum_"))).toHaveLength(
    3,
  );
}, 60_000);

// Echoes of different shapes cannot be summed: a clear error naming the echo, nothing staged.
it("refuses MEMPRAGE echoes of different shapes", async () => {
  const { root, subject } = await generated("echoshape", { sessions: 1 });
  const nii = join(subject.sessions[0]?.dir as string, "nii");
  const echo = readdirSync(nii).find((name) => name.endsWith("-ECHO2.nii.gz")) as string;
  const original = await readImage(join(nii, echo));
  const [x, y, z] = original.shape as [number, number, number];
  await writeImage(
    join(nii, echo),
    createImage({
      data: new Int16Array(x * y * (z - 1)),
      shape: [x, y, z - 1],
      affine: bestAffine(original.header),
    }),
    { durable: false },
  );
  const error = await failure(stageSubject(readme(subject.dir), { durable: false }));
  expect(error.code).toBe("E_STAGE_IMAGE");
  expect(error.message).toContain(`MEMPRAGE echo ${join(nii, echo)} has shape ${x}x${y}x${z - 1}`);
  expect(stageFolders(root)).toEqual([]);
});

describe("plugin files", () => {
  // A broken plugin file is reported before anything is staged.
  it("refuses a plugin file with a syntax error before writing anything", async () => {
    const { root, subject } = await generated("badplugin");
    const pluginDir = scratch("badplugin-file");
    const bad = join(pluginDir, "broken.mjs");
    writeFileSync(bad, "export const = 1;\n");
    const before = listing(root);
    const error = await failure(
      stageSubject({ ...readme(subject.dir), pluginPaths: [bad] }, { durable: false }),
    );
    expect(error.code).toBe("E_STAGE_PLUGIN");
    expect(error.message).toContain(bad);
    expect(listing(root)).toEqual(before);
  });

  // Plugins written in the original's shape (a class with static filter/run) keep working.
  it("loads and runs a class with static filter and run", async () => {
    const { subject } = await generated("classplugin");
    const pluginDir = scratch("classplugin-file");
    const file = join(pluginDir, "keep-t2.mjs");
    writeFileSync(
      file,
      `export class KeepT2 {
  static filter(images) {
    return images.filter((image) => image.modality === "T2");
  }
  static run(images) {
    (globalThis.__keepT2Calls ??= []).push(images.map((image) => image.name));
    return images;
  }
}
`,
    );
    const calls: string[][] = [];
    (globalThis as { __keepT2Calls?: string[][] }).__keepT2Calls = calls;
    try {
      const result = await stageSubject(
        { subjectDir: subject.dir, imageTypes: filters("bodypart=BRAIN;modality=T2") },
        { durable: false },
      );
      expect(result.sessions.map((s) => s.status)).toEqual(["staged", "staged"]);
      // Baseline without the plugin, then the same with it: identical staged files.
      for (const session of subject.sessions)
        rmSync(join(session.dir, "stage"), { recursive: true });
      const withPlugin = await stageSubject(
        {
          subjectDir: subject.dir,
          imageTypes: filters("bodypart=BRAIN;modality=T2"),
          pluginPaths: [file],
        },
        { durable: false },
      );
      expect(withPlugin.sessions.map((s) => s.staged)).toEqual(
        result.sessions.map((s) => s.staged),
      );
      expect(withPlugin.sessions[0]?.filters[0]?.plugins[0]?.plugin).toBe("KeepT2");
      expect(calls).toEqual(
        subject.sessions.map((session) => [
          `${subject.id}_${session.id}_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz`,
        ]),
      );
    } finally {
      delete (globalThis as { __keepT2Calls?: string[][] }).__keepT2Calls;
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Staging again

describe("a subject staged before", () => {
  // Re-running by mistake must not touch what is already staged.
  it("is refused without update, and nothing changes", async () => {
    const { root, subject } = await generated("again");
    await stageSubject(readme(subject.dir), { durable: false });
    const before = listing(root);
    const error = await failure(stageSubject(readme(subject.dir), { durable: false }));
    expect(error.code).toBe("E_STAGE_ALREADY_STAGED");
    expect(listing(root)).toEqual(before);
  });

  // A new session is added later: --update stages it alone, registered to the old target.
  it("stages only a new session with update, keeping the first run's subject target", async () => {
    const { root, subject } = await generated("update");
    const [one, two] = subject.sessions as [SynthSession, SynthSession];
    const away = join(root, "held-back");
    renameSync(two.dir, away);
    const first = await stageSubject(readme(subject.dir), { durable: false });
    expect(first.sessions.map((s) => s.session)).toEqual([one.dir]);
    expect(first.subjectTarget).not.toBeNull();
    const firstSession = listing(one.dir, { dirTimes: true });

    renameSync(away, two.dir);
    const second = await stageSubject({ ...readme(subject.dir), update: true }, { durable: false });
    expect(second.sessions.map((s) => [s.session, s.status])).toEqual([
      [one.dir, "already-staged"],
      [two.dir, "staged"],
    ]);
    expect(second.subjectTarget).toBe(first.subjectTarget);
    const link = join(two.dir, "stage", "subject-target");
    expect(readlinkSync(link)).toBe(
      `../../${relative(subject.dir, first.subjectTarget as string)}`,
    );
    expect(realpathSync(link)).toBe(first.subjectTarget);
    expect(stagedImages(two.dir)).toHaveLength(5);
    // The first session is exactly as the first run left it (records included).
    expect(listing(one.dir, { dirTimes: true })).toEqual(firstSession);
  });
});

// ---------------------------------------------------------------------------------------------
// 7 + 8 + 9. Data the original chokes on

// Old conversions have null resolution fields: such an image must lose, with a warning.
it("lets a candidate with null resolution fields lose, with a warning naming it", async () => {
  const { subject } = await generated("nullres", { sessions: 1 });
  const session = subject.sessions[0] as SynthSession;
  const nii = join(session.dir, "nii");
  const stem = `${subject.id}_${session.id}`;
  // Two T1 PRE candidates left: 01-03 ECHO1 (first in name order, so it wins ties) and 01-02.
  for (const echo of [2, 3, 4]) {
    rmSync(join(nii, `${stem}_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO${echo}.json`));
  }
  const echo1 = `${stem}_01-03_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1`;
  const other = `${stem}_01-02_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE`;
  const options: StageOptions = {
    subjectDir: subject.dir,
    imageTypes: filters("bodypart=BRAIN;modality=T1;excontrast=PRE"),
    keepBestRes: true,
    skipDefaultPlugins: true,
  };
  const baseline = await planStaging(options);
  expect(baseline.sessions[0]?.staged.map((p) => basename(p))).toEqual([`${echo1}_hdrfix.nii.gz`]);

  const sidecar = join(nii, `${echo1}.json`);
  const json = JSON.parse(readFileSync(sidecar, "utf8")) as { SeriesInfo: Record<string, unknown> };
  json.SeriesInfo.AcquiredResolution = null;
  json.SeriesInfo.SliceThickness = null;
  writeFileSync(sidecar, JSON.stringify(json, null, 4));

  const result = await stageSubject(options, { durable: false });
  expect(result.sessions[0]?.staged.map((p) => basename(p))).toEqual([`${other}_hdrfix.nii.gz`]);
  expect(stagedImages(session.dir)).toEqual([`${other}_hdrfix.nii.gz`]);
  const choice = result.sessions[0]?.filters[0]?.choice;
  expect(choice?.rule).toBe("most-isotropic");
  expect(choice?.candidates.find((c) => c.path.endsWith(`${echo1}.nii.gz`))?.anisotropy).toBeNull();
  expect(warnings(session.dir).some((message) => message.includes(`${echo1}.nii.gz`))).toBe(true);
});

// A subject where one session lacks an image type: the others are still staged.
it("skips a session whose filters match nothing and stages the other", async () => {
  const { root, subject } = await generated("nomatch");
  const [one, two] = subject.sessions as [SynthSession, SynthSession];
  const t2 = join(two.dir, "nii", `${subject.id}_${two.id}_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE`);
  rmSync(`${t2}.json`);
  rmSync(`${t2}.nii.gz`);
  const result = await stageSubject(
    { subjectDir: subject.dir, imageTypes: filters("bodypart=BRAIN;modality=T2") },
    { durable: false },
  );
  expect(sessionOf(result, two.dir)).toMatchObject({ status: "no-match", staged: [] });
  expect(sessionOf(result, one.dir).status).toBe("staged");
  expect(stageFolders(root)).toEqual([relative(root, join(one.dir, "stage"))]);
  expect(stagedImages(one.dir)).toEqual([
    `${subject.id}_${one.id}_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE_hdrfix.nii.gz`,
  ]);
});

describe("MP2RAGE", () => {
  const t1Pre = () => filters("bodypart=BRAIN;modality=T1;excontrast=PRE");

  // An incomplete set (magnitudes only) is skipped with a warning instead of failing.
  it("stages a magnitude-only set without a uniform image, with a warning", async () => {
    const { subject } = await generated("mp2rage-mag", {
      sessions: 1,
      protocol: "mp2rage",
      mp2rage: "magnitude",
    });
    const session = subject.sessions[0] as SynthSession;
    const result = await stageSubject(
      { subjectDir: subject.dir, imageTypes: t1Pre() },
      { durable: false },
    );
    expect(result.sessions[0]?.status).toBe("staged");
    expect(stagedImages(session.dir).some((name) => name.includes("_uniden"))).toBe(false);
    expect(
      warnings(session.dir).some((message) => message.includes("Cannot create uniden image")),
    ).toBe(true);
  });

  // A complete real/imaginary set gives the UNI image, in [0, 1].
  it("stages the uniform image of a complex set", async () => {
    const { subject } = await generated("mp2rage-complex", {
      sessions: 1,
      protocol: "mp2rage",
      mp2rage: "complex",
    });
    const session = subject.sessions[0] as SynthSession;
    const result = await stageSubject(
      { subjectDir: subject.dir, imageTypes: t1Pre() },
      { durable: false },
    );
    const uniden = result.sessions[0]?.staged.filter((p) => p.endsWith("_uniden_hdrfix.nii.gz"));
    expect(uniden).toEqual([
      join(
        session.dir,
        "stage",
        `${subject.id}_${session.id}_01-11_BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-INV1-REA_uniden_hdrfix.nii.gz`,
      ),
    ]);
    const image = await readImage(uniden?.[0] as string);
    expect(image.header.qformCode).toBe(2);
    expect(image.header.sformCode).toBe(1);
    let [min, max] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const value of image.getFloatData("float32")) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThanOrEqual(1);
  });
});

// ---------------------------------------------------------------------------------------------
// 10 + 11. Full disks and killed runs (the CLI in a child process)

describe("interrupted runs", () => {
  // A full disk must fail with a clear message, leave no stage/ and keep nii/ intact.
  it("fails cleanly when the disk fills up (ulimit -f)", async () => {
    if (!requireSystem("bash", hasBash())) return;
    if (!requireSystem(`the built CLI ${CLI_BIN}`, existsSync(CLI_BIN))) return;
    const { root, subject } = await generated("diskfull", { shape: [96, 96, 64] });
    const before = niiHashes(root);
    // 100 KiB: logs and the lock fit, a staged image (~800 KB) does not.
    const script = `ulimit -f 100; exec ${shQuote(process.execPath)} ${shQuote(CLI_BIN)} stage ${shQuote(
      subject.dir,
    )} --image-types modality=T1 modality=T2`;
    const run = await finished(spawn("bash", ["-c", script], { cwd: root }));
    expect(run.signal).toBeNull();
    expect(run.code).toBe(74);
    expect(run.stderr).toMatch(/cannot write .*(EFBIG|ENOSPC)/);
    expect(stageFolders(root)).toEqual([]);
    expect(existsSync(join(subject.dir, ".radifox-stage.lock"))).toBe(false);
    expect(niiHashes(root)).toEqual(before);
  }, 60_000);

  // A killed run leaves only a private folder; the next run cleans it up and stages.
  it("recovers from a run killed mid-way", async () => {
    if (!requireSystem(`the built CLI ${CLI_BIN}`, existsSync(CLI_BIN))) return;
    const { root, subject } = await generated("crash", { sessions: 3, shape: [128, 128, 96] });
    const before = niiHashes(root);
    const workFolders = () =>
      subject.sessions.flatMap((session) =>
        readdirSync(session.dir).filter((name) => name.startsWith(WORK_PREFIX)),
      );
    const child = spawn(
      process.execPath,
      [CLI_BIN, "stage", subject.dir, "--image-types", "modality=T1", "modality=T2", "--jobs", "1"],
      { cwd: root },
    );
    const exit = finished(child);
    let seen = false;
    let done = false;
    void exit.then(() => {
      done = true;
    });
    while (!done) {
      if (workFolders().length > 0) {
        seen = true;
        child.kill("SIGKILL");
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const killed = await exit;
    expect(
      seen,
      `the run ended (${killed.code}) before a work folder was seen: use a bigger shape`,
    ).toBe(true);
    expect(killed.signal).toBe("SIGKILL");
    expect(stageFolders(root).filter((rel) => basename(rel) === "stage")).toEqual([]);
    expect(niiHashes(root)).toEqual(before);

    const result = await stageSubject(
      { subjectDir: subject.dir, imageTypes: filters("modality=T1", "modality=T2") },
      { durable: false },
    );
    expect(result.sessions.map((s) => s.status)).toEqual(["staged", "staged", "staged"]);
    expect(workFolders()).toEqual([]);
    expect(stageFolders(root).sort()).toEqual(
      subject.sessions.map((session) => relative(root, join(session.dir, "stage"))).sort(),
    );
  }, 120_000);
});

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScanOptions, type SessionScan, scanStudy } from "./scan.js";

let root: string;
const project = () => join(root, "out", "proj");

function touch(path: string, text = "") {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

async function collect(dir: string, options?: ScanOptions): Promise<SessionScan[]> {
  const sessions: SessionScan[] = [];
  for await (const session of scanStudy(dir, options)) sessions.push(session);
  return sessions;
}

const names = (sessions: SessionScan[]) =>
  sessions.flatMap((s) => s.images.map((img) => relative(root, img.path)));

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "scan-")));
  for (const subject of ["P-02", "P-01", "P-10"]) {
    for (const session of ["2", "1"]) {
      const dir = join(project(), subject, session);
      touch(join(dir, "nii", `${subject}_${session}_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz`));
      touch(join(dir, "nii", `${subject}_${session}_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.json`));
      touch(join(dir, "nii", `${subject}_${session}_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii`));
      touch(join(dir, "proc", `${subject}_${session}_01-01_BRAIN-T1-SE-2D-AXIAL-PRE_n4.nii.gz`));
    }
  }
  touch(join(project(), "P-01", "1", "nii", ".P-01_1_01-09_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"));
  touch(join(project(), "P-01", ".old", "nii", "P-01_0_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"));
  touch(join(project(), "P-02", "1", "nii", "P-02_01-03_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"));
  touch(
    join(project(), "proj-lut.csv"),
    "Project,Site,InstitutionName,SeriesDescription,OutputFilename\n",
  );
  // A session whose nii/ is a file: reading it fails.
  touch(join(project(), "P-10", "3", "nii"), "not a folder");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("scanStudy", () => {
  it("yields sessions in name order with their images sorted by name", async () => {
    const sessions = await collect(project());
    expect(sessions.map((s) => `${s.subject}/${s.session}`)).toEqual([
      "P-01/1",
      "P-01/2",
      "P-02/1",
      "P-02/2",
      "P-10/1",
      "P-10/2",
      "P-10/3",
    ]);
    expect(names(sessions.slice(0, 1))).toEqual([
      "out/proj/P-01/1/nii/P-01_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii",
      "out/proj/P-01/1/nii/P-01_1_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
    ]);
  });

  it("reports bad names and unreadable folders, and keeps going", async () => {
    const sessions = await collect(project());
    const problems = sessions.flatMap((s) =>
      s.problems.map((p) => [relative(root, p.path), p.code]),
    );
    expect(problems).toEqual([
      ["out/proj/P-02/1/nii/P-02_01-03_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz", "E_NAME_SYNTAX"],
      ["out/proj/P-10/3/nii", "E_SCAN_READ"],
    ]);
    // The badly named image is still listed.
    expect(names(sessions)).toContain(
      "out/proj/P-02/1/nii/P-02_01-03_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz",
    );
  });

  it("finds the level itself: output root, project, subject or session", async () => {
    const fromRoot = await collect(join(root, "out"));
    expect(fromRoot).toHaveLength(7);
    expect(await collect(join(project(), "P-01"))).toHaveLength(2);
    const one = await collect(join(project(), "P-01", "2"));
    expect(one.map((s) => [s.subject, s.session, s.images.length])).toEqual([["P-01", "2", 2]]);
  });

  it("reads other folders, hidden entries and extensions on request", async () => {
    const all = await collect(join(project(), "P-01"), {
      folders: ["nii", "proc"],
      includeHidden: true,
    });
    expect(all.map((s) => s.session)).toEqual([".old", "1", "2"]);
    expect(names(all.slice(1, 2))).toEqual([
      "out/proj/P-01/1/nii/.P-01_1_01-09_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz",
      "out/proj/P-01/1/nii/P-01_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii",
      "out/proj/P-01/1/nii/P-01_1_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
      "out/proj/P-01/1/proc/P-01_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE_n4.nii.gz",
    ]);
    const sidecars = await collect(join(project(), "P-01", "1"), { extensions: [".json"] });
    expect(sidecars[0]?.images.map((i) => i.ext)).toEqual([".json"]);
  });

  it("streams: sessions arrive before the whole tree is read, with progress", async () => {
    const seen: number[] = [];
    const scan = scanStudy(project(), { concurrency: 1, onProgress: (p) => seen.push(p.sessions) });
    const first = await scan.next();
    expect(first.done).toBe(false);
    expect(seen).toEqual([1]);
    await scan.return(undefined);
  });

  it("refuses a path that is not a folder", async () => {
    await expect(collect(join(project(), "proj-lut.csv"))).rejects.toMatchObject({
      code: "E_STUDY_READ",
      message: expect.stringMatching(/is not a folder$/),
    });
  });

  it("finds sessions even when the first subjects hold none, and says when there are none", async () => {
    const sparse = join(root, "sparse");
    for (let i = 1; i <= 12; i++)
      mkdirSync(join(sparse, `S-${String(i).padStart(2, "0")}`, "1", "dcm"), { recursive: true });
    touch(join(sparse, "S-12", "1", "nii", "S-12_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz"));
    const sessions = await collect(sparse);
    expect(sessions).toHaveLength(12);
    expect(names(sessions)).toEqual([
      "sparse/S-12/1/nii/S-12_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz",
    ]);
    const nii = join(project(), "P-01", "1", "nii");
    await expect(collect(nii)).rejects.toMatchObject({
      code: "E_STUDY_LAYOUT",
      message: expect.stringContaining(`scan ${join(project(), "P-01", "1")}`),
    });
    expect(await collect(nii, { level: "session" })).toHaveLength(1);
  });

  it("refuses unusable options", async () => {
    await expect(collect(project(), { concurrency: Number.NaN })).rejects.toMatchObject({
      code: "E_SCAN_OPTIONS",
    });
    await expect(collect(project(), { folders: [] })).rejects.toMatchObject({
      code: "E_SCAN_OPTIONS",
    });
  });

  it("stops when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(project(), { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

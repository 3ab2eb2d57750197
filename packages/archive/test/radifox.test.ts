// The RADIFOX layout: a synthetic RADIFOX study (from @radifox/synth) read as XNAT objects.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { generateStudy } from "@radifox/synth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ArchiveError } from "../src/errors.js";
import type { XnatResource, XnatScan, XnatSession, XnatType } from "../src/model.js";
import {
  assignScanIds,
  openRadifoxArchive,
  type RadifoxArchive,
  type RadifoxProblem,
} from "../src/radifox/index.js";

let tmp: string;
let root: string;
let archive: RadifoxArchive;
const reported: RadifoxProblem[] = [];

const S1 = "BENCH-0001";
const S2 = "BENCH-0002";
const T1 = "BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE";
const T1_NAME = `${S1}_1_01-02_${T1}`;
const BAD_NAME = `${S2}_1_01-07_BRAIN-T1.nii.gz`;
const DWI_NAME = `${S2}_2_02-01_BRAIN-DIFF-EPI-2D-AXIAL-PRE`;

/** A gzipped NIfTI-1 header (no voxels needed to read it) of shape 8x8x4x`volumes`. */
function niftiHeader(volumes: number): Buffer {
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  for (const [i, d] of [4, 8, 8, 4, volumes, 1, 1, 1].entries()) header.writeInt16LE(d, 40 + 2 * i);
  header.write("n+1\0", 344, "latin1");
  return gzipSync(header);
}

function write(path: string, content: string | Buffer): void {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, content);
}

const json = (value: unknown) => JSON.parse(JSON.stringify(value));
const size = (path: string) => statSync(path).size;
const only = (...types: XnatType[]) => ({ include: new Set<XnatType>(types) });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "radifox-archive-"));
  root = join(tmp, "STUDY");
  // 2 subjects x 2 sessions x 6 images: 01-02 (T1), 01-03 (four MEMPRAGE echoes), 01-04 (T2).
  await generateStudy({ root, shape: [8, 8, 4], subjects: 2, sessions: 2, images: 6, seed: 5 });
  const s1 = join(root, S1, "1");
  // Other session folders of BENCH-0001/1: proc, qa (nested), stage (empty), a hidden file.
  write(join(s1, "proc", `${T1_NAME}_n4.nii.gz`), "proc image");
  write(join(s1, "qa", "conversion", `${T1_NAME}.png`), "png");
  write(join(s1, "qa", "n4", `${T1_NAME}_n4.png`), "png!");
  mkdirSync(join(s1, "stage"));
  write(join(s1, "proc", ".DS_Store"), "hidden");
  write(join(s1, `${S1}_1_Provenance.yml`), "not in a resource");
  // The DICOM folder named by the T1's sidecar SourcePath.
  const sourcePath = JSON.parse(readFileSync(join(s1, "nii", `${T1_NAME}.json`), "utf8")).SeriesInfo
    .SourcePath as string;
  write(join(s1, sourcePath, "IM0002"), "dicom 2");
  write(join(s1, sourcePath, "IM0001"), "dicom 1");
  // BENCH-0002/1: an image whose name parseName refuses, with its sidecar.
  const s21 = join(root, S2, "1");
  write(join(s21, "nii", BAD_NAME), niftiHeader(1));
  write(join(s21, "nii", BAD_NAME.replace(".nii.gz", ".json")), "{}");
  // BENCH-0002/2: a 4D image of 5 volumes without a sidecar; a folder that is not a session.
  // dcm2niix's .bval/.bvec go with it; a stray file in nii/ belongs to no image.
  const s22nii = join(root, S2, "2", "nii");
  write(join(s22nii, `${DWI_NAME}.nii.gz`), niftiHeader(5));
  write(join(s22nii, `${DWI_NAME}.bval`), "0 1000 1000 1000 1000");
  write(join(s22nii, `${DWI_NAME}.bvec`), "0 1 0 0 1");
  write(join(s22nii, "notes.txt"), "stray");
  write(join(root, S2, "notes", "todo.txt"), "not a session");
  archive = openRadifoxArchive(root, { onProblem: (p) => reported.push(p) });
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("openRadifoxArchive", () => {
  it("opens a study folder as one project", () => {
    expect(archive.layout).toBe("radifox");
    expect(archive.root).toBe(root);
    expect(archive.projectId).toBe("STUDY");
    expect(json([...archive.projects()])).toStrictEqual([
      {
        type: "Project",
        id: "STUDY",
        label: "STUDY",
        xsiType: "xnat:projectData",
        uri: "/archive/projects/STUDY",
        directory: root,
        resources: [],
        subjects: [],
        "project-assets": [],
      },
    ]);
  });

  it("takes the project id from the options", () => {
    const renamed = openRadifoxArchive(root, { project: "P1" });
    expect(renamed.byId("Project", "STUDY")).toBeUndefined();
    const session = renamed.byUri("/projects/P1/subjects/BENCH-0001/experiments/BENCH-0001_1", {
      include: new Set(),
    }) as XnatSession;
    expect(session.uri).toBe("/archive/projects/P1/subjects/BENCH-0001/experiments/BENCH-0001_1");
    expect(session["project-id"]).toBe("P1");
  });

  it("throws a typed error for a missing or wrong study root", () => {
    const missing = join(tmp, "nope");
    expect(() => openRadifoxArchive(missing)).toThrow(ArchiveError);
    try {
      openRadifoxArchive(missing);
    } catch (error) {
      expect((error as ArchiveError).code).toBe("E_ARCHIVE_ROOT");
      expect((error as ArchiveError).path).toBe(missing);
    }
    expect(() => openRadifoxArchive(join(root, S1, "1"))).toThrow(/session folder/);
    expect(() => openRadifoxArchive(root, { project: "a/b" })).toThrow(RangeError);
  });
});

describe("a session as XNAT objects", () => {
  const sessionUri = "/archive/experiments/BENCH-0001_1";
  let session: XnatSession;
  let s1: string;
  let nii: string;
  beforeAll(() => {
    session = archive.byId("Session", "BENCH-0001_1") as XnatSession;
    s1 = join(root, S1, "1");
    nii = join(s1, "nii");
  });

  it("has the session's fields, scans and folder resources", () => {
    const { scans, resources, ...fields } = json(session);
    expect(fields).toStrictEqual({
      type: "Session",
      id: "BENCH-0001_1",
      label: "1",
      xsiType: "xnat:mrSessionData",
      uri: sessionUri,
      directory: s1,
      "project-id": "STUDY",
      "subject-id": S1,
      assessors: [],
    });
    expect(Object.keys(session)).toEqual([
      "type",
      "id",
      "label",
      "xsiType",
      "uri",
      "directory",
      "project-id",
      "subject-id",
      "scans",
      "assessors",
      "resources",
    ]);
    expect(scans.map((s: XnatScan) => s.label)).toStrictEqual([
      `01-02 - ${T1}`,
      `01-03-ECHO1 - ${T1}-ECHO1`,
      `01-03-ECHO2 - ${T1}-ECHO2`,
      `01-03-ECHO3 - ${T1}-ECHO3`,
      `01-03-ECHO4 - ${T1}-ECHO4`,
      "01-04 - BRAIN-T2-FSE-2D-AXIAL-PRE",
    ]);
    expect(resources.map((r: XnatResource) => r.label)).toStrictEqual([
      "dcm",
      "proc",
      "qa",
      "stage",
    ]);
  });

  it("maps an image of nii/ to a Scan with NIFTI and JSON resources (and DICOM)", () => {
    const sidecar = JSON.parse(readFileSync(join(nii, `${T1_NAME}.json`), "utf8")).SeriesInfo;
    const scanUri = `${sessionUri}/scans/01-02`;
    const dcm = join(s1, sidecar.SourcePath);
    const dcmUri = `${scanUri}/resources/DICOM`;
    expect(json(session.scans[0])).toStrictEqual({
      type: "Scan",
      id: "01-02",
      label: `01-02 - ${T1}`,
      xsiType: "xnat:mrScanData",
      uri: scanUri,
      directory: nii,
      "scan-type": T1,
      "project-id": "STUDY",
      "session-id": "BENCH-0001_1",
      frames: 1,
      modality: "MR",
      "scanner-manufacturer": "GE",
      "scanner-model": "DISCOVERY MR750",
      "scanner-software-version": "27\\LX\\MR Software release:DV26.0_R03",
      "series-description": "SAG 3D T1 IR-FSPGR",
      "start-time": "08:06:00",
      uid: sidecar.SeriesUID,
      resources: [
        {
          type: "Resource",
          id: "DICOM",
          label: "DICOM",
          xsiType: "xnat:resourceCatalog",
          uri: dcmUri,
          directory: dcm,
          "parent-uri": scanUri,
          files: ["IM0001", "IM0002"].map((name) => ({
            type: "File",
            label: name,
            uri: `${dcmUri}/files/${name}`,
            name,
            path: join(dcm, name),
            tags: [],
            size: 7,
          })),
        },
        ...["JSON", "NIFTI"].map((label) => {
          const name = `${T1_NAME}${label === "JSON" ? ".json" : ".nii.gz"}`;
          const uri = `${scanUri}/resources/${label}`;
          return {
            type: "Resource",
            id: label,
            label,
            xsiType: "xnat:resourceCatalog",
            uri,
            directory: nii,
            "parent-uri": scanUri,
            files: [
              {
                type: "File",
                label: name,
                uri: `${uri}/files/${name}`,
                name,
                path: join(nii, name),
                tags: [],
                size: size(join(nii, name)),
              },
            ],
          };
        }),
      ],
    });
  });

  it("maps the other session folders to resources with every file below them", () => {
    const resource = (label: string, files: string[]) => {
      const uri = `${sessionUri}/resources/${label}`;
      const directory = join(s1, label);
      return {
        type: "Resource",
        id: label,
        label,
        xsiType: "xnat:resourceCatalog",
        uri,
        directory,
        "parent-uri": sessionUri,
        files: files.map((relative) => ({
          type: "File",
          label: relative.split("/").pop(),
          uri: `${uri}/files/${relative}`,
          name: relative.split("/").pop(),
          path: join(directory, relative),
          tags: [],
          size: size(join(directory, relative)),
        })),
      };
    };
    expect(json(session.resources.slice(1))).toStrictEqual([
      resource("proc", [`${T1_NAME}_n4.nii.gz`]),
      resource("qa", [`conversion/${T1_NAME}.png`, `n4/${T1_NAME}_n4.png`]),
      resource("stage", []),
    ]);
  });

  it("gives echoes sharing an image id distinct scan ids", () => {
    const echo = session.scans[2] as XnatScan;
    expect(echo.id).toBe("01-03-ECHO2");
    expect(echo["scan-type"]).toBe(`${T1}-ECHO2`);
    expect(echo["series-description"]).toBe("SAG T1 MEMPRAGE");
    expect(echo.resources.map((r) => r.files.map((f) => f.name))).toStrictEqual([
      [`${S1}_1_01-03_${T1}-ECHO2.json`],
      [`${S1}_1_01-03_${T1}-ECHO2.nii.gz`],
    ]);
  });
});

describe("lookups", () => {
  it("finds every object by its URI, with or without /archive", () => {
    const base = "/archive/projects/STUDY/subjects/BENCH-0001/experiments/BENCH-0001_1";
    const cases: [string, string, string][] = [
      ["/projects/STUDY", "Project", "/archive/projects/STUDY"],
      ["/archive/projects/STUDY/subjects/BENCH-0002", "Subject", "="],
      ["/subjects/BENCH-0002/", "Subject", "/archive/projects/STUDY/subjects/BENCH-0002"],
      [base, "Session", "="],
      // Below a subject, XNAT also takes the session label; the uri keeps the id.
      ["/projects/STUDY/subjects/BENCH-0001/experiments/1", "Session", base],
      ["/experiments/BENCH-0001_1", "Session", "/archive/experiments/BENCH-0001_1"],
      ["/archive/projects/STUDY/experiments/BENCH-0001_1", "Session", "="],
      [`${base}/scans/01-03-ECHO4`, "Scan", "="],
      [
        "/experiments/BENCH-0001_1/scans/01-04",
        "Scan",
        "/archive/experiments/BENCH-0001_1/scans/01-04",
      ],
      [`${base}/scans/01-02/resources/NIFTI`, "Resource", "="],
      [`${base}/resources/qa`, "Resource", "="],
      [`${base}/resources/qa/files/n4/${T1_NAME}_n4.png`, "File", "="],
      [`${base}/scans/01-02/resources/JSON/files/${T1_NAME}.json`, "File", "="],
    ];
    for (const [uri, type, expected] of cases) {
      const object = archive.byUri(uri);
      expect(object?.type, uri).toBe(type);
      expect(object?.uri, uri).toBe(expected === "=" ? uri : expected);
    }
  });

  it("gives undefined for what does not exist", () => {
    for (const uri of [
      "/projects/OTHER",
      "/projects/STUDY/subjects/NOBODY",
      "/projects/STUDY/subjects/BENCH-0002/experiments/BENCH-0001_1",
      "/experiments/BENCH-0001_9",
      "/experiments/BENCH-0002_notes",
      "/experiments/BENCH-0001_1/scans/01-03",
      "/experiments/BENCH-0001_1/scans/01-02/resources/DICOMX",
      "/experiments/BENCH-0001_1/resources/nii",
      "/experiments/BENCH-0001_1/resources/qa/files/nothing.png",
      "/experiments/BENCH-0001_1/assessors/A1",
      "/projects/STUDY/resources/X",
      "/projects/STUDY/subjects/../experiments/x",
      "not-a-uri",
    ]) {
      expect(archive.byUri(uri), uri).toBeUndefined();
    }
  });

  it("finds projects, subjects and sessions by id, never scans or resources", () => {
    expect(archive.byId("Project", "STUDY")?.uri).toBe("/archive/projects/STUDY");
    expect(archive.byId("Subject", S2)?.uri).toBe(`/archive/projects/STUDY/subjects/${S2}`);
    expect(archive.byId("Session", "BENCH-0002_2")?.uri).toBe("/archive/experiments/BENCH-0002_2");
    expect(archive.byId("Session", "BENCH-0002")).toBeUndefined();
    expect(archive.byId("Subject", "..")).toBeUndefined();
    expect(archive.byId("Scan", "01-02")).toBeUndefined();
    expect(archive.byId("Resource", "NIFTI")).toBeUndefined();
    expect(archive.byId("Resource", "1")).toBeUndefined();
  });

  it("walks up from a file to the project through the ids and parent-uri", () => {
    const base = "/archive/experiments/BENCH-0002_1";
    const file = archive.byUri(
      `${base}/scans/01-04/resources/NIFTI/files/${S2}_1_01-04_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz`,
    );
    expect(file?.type).toBe("File");
    const resource = archive.byUri(`${base}/scans/01-04/resources/NIFTI`) as XnatResource;
    const scan = archive.byUri(resource["parent-uri"] as string) as XnatScan;
    expect(scan.id).toBe("01-04");
    const session = archive.byId("Session", scan["session-id"] as string) as XnatSession;
    expect(session.uri).toBe(base);
    expect(archive.byId("Subject", session["subject-id"] as string)?.id).toBe(S2);
    expect(archive.byId("Project", scan["project-id"] as string)?.id).toBe("STUDY");
  });
});

describe("include and streaming", () => {
  it("loads only the child types include names", () => {
    const uri = "/experiments/BENCH-0001_1";
    const bare = archive.byUri(uri, only()) as XnatSession;
    expect([bare.scans, bare.resources, bare.assessors]).toStrictEqual([[], [], []]);
    const scans = archive.byUri(uri, only("Scan")) as XnatSession;
    expect(scans.scans).toHaveLength(6);
    expect(scans.resources).toStrictEqual([]);
    expect(scans.scans.every((s) => s.resources.length === 0)).toBe(true);
    const noFiles = archive.byUri(uri, only("Scan", "Resource")) as XnatSession;
    expect(noFiles.scans[0]?.resources.map((r) => [r.label, r.files])).toStrictEqual([
      ["DICOM", []],
      ["JSON", []],
      ["NIFTI", []],
    ]);
    expect(noFiles.resources.map((r) => r.files.length)).toStrictEqual([0, 0, 0, 0]);
    const nifti = archive.byUri(`${uri}/scans/01-02/resources/NIFTI`, only()) as XnatResource;
    expect([nifti.label, nifti.files]).toStrictEqual(["NIFTI", []]);
    const qa = archive.byUri(`${uri}/resources/qa`, only()) as XnatResource;
    expect([qa.label, qa.files]).toStrictEqual(["qa", []]);
    expect(archive.byUri(`${uri}/resources/qa`, only("File"))).toHaveProperty("files.length", 2);
    const resources = archive.byUri(uri, only("Resource", "File")) as XnatSession;
    expect(resources.scans).toStrictEqual([]);
    expect(resources.resources[2]?.files).toHaveLength(2);
  });

  it("loads a project's subjects and sessions as asked", () => {
    const project = archive.byId("Project", "STUDY", only("Subject", "Session")) as {
      subjects: { id: string; sessions: XnatSession[] }[];
    };
    expect(project.subjects.map((s) => [s.id, s.sessions.map((e) => e.uri)])).toStrictEqual([
      [S1, [1, 2].map((n) => `/archive/projects/STUDY/subjects/${S1}/experiments/${S1}_${n}`)],
      [S2, [1, 2].map((n) => `/archive/projects/STUDY/subjects/${S2}/experiments/${S2}_${n}`)],
    ]);
    expect(project.subjects[0]?.sessions[0]?.scans).toStrictEqual([]);
    const full = archive.byUri("/projects/STUDY") as { subjects: { sessions: XnatSession[] }[] };
    expect(full.subjects[0]?.sessions[0]?.scans[0]?.uri).toBe(
      `/archive/projects/STUDY/subjects/${S1}/experiments/${S1}_1/scans/01-02`,
    );
  });

  it("streams sessions one at a time, children only when asked", () => {
    const stream = archive.sessions("STUDY")[Symbol.iterator]();
    const first = stream.next();
    expect(first.done).toBe(false);
    expect(json(first.value)).toStrictEqual({
      type: "Session",
      id: "BENCH-0001_1",
      label: "1",
      xsiType: "xnat:mrSessionData",
      uri: "/archive/experiments/BENCH-0001_1",
      directory: join(root, S1, "1"),
      "project-id": "STUDY",
      "subject-id": S1,
      scans: [],
      assessors: [],
      resources: [],
    });
    const rest = [...{ [Symbol.iterator]: () => stream }].map((s) => s.id);
    expect(rest).toStrictEqual(["BENCH-0001_2", "BENCH-0002_1", "BENCH-0002_2"]);
    const withScans = [...archive.sessions("STUDY", only("Scan"))];
    expect(withScans.map((s) => s.scans.length)).toStrictEqual([6, 6, 6, 7]);
    expect([...archive.sessions("OTHER")]).toStrictEqual([]);
  });
});

describe("problems", () => {
  it("skips a bad image name and reports it instead of throwing", () => {
    const session = archive.byId("Session", "BENCH-0002_1") as XnatSession;
    expect(session.scans.map((s) => s.id)).toStrictEqual([
      "01-02",
      "01-03-ECHO1",
      "01-03-ECHO2",
      "01-03-ECHO3",
      "01-03-ECHO4",
      "01-04",
    ]);
    const bad = join(root, S2, "1", "nii", BAD_NAME);
    const problem = archive.problems.find((p) => p.path === bad);
    expect(problem?.code).toBe("E_NAME_SYNTAX");
    expect(problem?.message).toMatch(/has 2 of 6 components/);
    expect(reported).toContainEqual(problem);
  });

  it("keeps an image without a sidecar, reads frames from its header and reports the rest", () => {
    const scan = archive.byUri("/experiments/BENCH-0002_2/scans/02-01") as XnatScan;
    expect(json(scan)).toMatchObject({
      id: "02-01",
      "scan-type": "BRAIN-DIFF-EPI-2D-AXIAL-PRE",
      frames: 5,
      modality: "MR",
    });
    expect(scan).not.toHaveProperty("series-description");
    expect(scan).not.toHaveProperty("uid");
    expect(scan.resources.map((r) => [r.label, r.files.map((f) => f.name)])).toStrictEqual([
      ["NIFTI", [`${DWI_NAME}.bval`, `${DWI_NAME}.bvec`, `${DWI_NAME}.nii.gz`]],
    ]);
    archive.byId("Subject", S2);
    const codes = archive.problems.map((p) => `${p.code} ${p.path.slice(root.length)}`);
    expect(codes).toContain(`E_SIDECAR_MISSING /${S2}/2/nii/${DWI_NAME}.json`);
    expect(codes).toContain(`E_NOT_A_SESSION /${S2}/notes`);
    expect(codes).toContain(`E_UNUSED_FILE /${S2}/2/nii/notes.txt`);
    // The refused image's sidecar is not reported again.
    expect(codes.filter((c) => c.includes(`/${S2}/1/nii/`))).toStrictEqual([
      `E_NAME_SYNTAX /${S2}/1/nii/${BAD_NAME}`,
    ]);
    // Each problem once, however often the folder is read.
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("leaves frames out when told not to read headers", () => {
    const quiet = openRadifoxArchive(root, { frames: false });
    expect(quiet.byUri("/experiments/BENCH-0002_2/scans/02-01")).not.toHaveProperty("frames");
  });
});

describe("scan ids", () => {
  it("adds extras, then the image type, then a counter to image ids that clash", () => {
    const name = (imageId: string, imageType: string, tags: string[] = []) => {
      const [studyNumber = "", seriesNumber = ""] = imageId.split("-");
      const parts = imageType.split("-");
      return {
        name: "",
        stem: "",
        subjectId: "S",
        sessionId: "1",
        imageId,
        studyNumber,
        seriesNumber,
        imageType,
        bodypart: parts[0] ?? "",
        modality: parts[1] ?? "",
        technique: parts[2] ?? "",
        acqdim: parts[3] ?? "",
        orientation: parts[4] ?? "",
        excontrast: parts[5] ?? "",
        extras: parts.slice(6),
        tags,
        ext: ".nii.gz",
      };
    };
    expect(
      assignScanIds([
        name("01-01", "A-B-C-D-E-F"),
        name("01-02", "A-B-C-D-E-F"),
        name("01-02", "A-B-C-D-E-F-ECHO1"),
        name("01-03", "A-B-C-D-E-F-X", ["n4"]),
        name("01-03", "A-B-C-D-E-G-X", ["n4"]),
        name("01-04", "A-B-C-D-E-F"),
        name("01-04", "A-B-C-D-E-F"),
      ]),
    ).toStrictEqual([
      "01-01",
      "01-02",
      "01-02-ECHO1",
      "01-03-A-B-C-D-E-F-X_n4",
      "01-03-A-B-C-D-E-G-X_n4",
      "01-04-A-B-C-D-E-F",
      "01-04-A-B-C-D-E-F-2",
    ]);
  });
});

describe("speed", () => {
  /** Milliseconds `run` takes. */
  const time = (run: () => unknown) => {
    const start = process.hrtime.bigint();
    run();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };

  it("loads one session with everything (timings printed, not asserted)", () => {
    const fresh = openRadifoxArchive(root);
    const load = () => fresh.byId("Session", "BENCH-0001_1") as XnatSession;
    const first = time(load);
    for (let i = 0; i < 5; i++) load();
    const runs = 50;
    const times = Array.from({ length: runs }, () => time(load)).sort((a, b) => a - b);
    const median = times[runs >> 1] as number;
    const session = load();
    const files = [...session.resources, ...session.scans.flatMap((s) => s.resources)].reduce(
      (n, r) => n + r.files.length,
      0,
    );
    const scan = time(() => fresh.byUri("/experiments/BENCH-0001_1/scans/01-02", only()));
    const bare = time(() => fresh.byId("Session", "BENCH-0001_1", only()));
    const f = (ms: number | undefined) => `${ms?.toFixed(3)} ms`;
    console.log(
      `RADIFOX session load (${session.scans.length} scans, ${session.resources.length} ` +
        `folder resources, ${files} files): first ${f(first)}, median ${f(median)}, ` +
        `min ${f(times[0])}, max ${f(times[runs - 1])} over ${runs} runs; ` +
        `one scan without children ${f(scan)}; the session without children ${f(bare)}`,
    );
    expect(session.scans.length).toBeGreaterThan(0);
    expect(files).toBeGreaterThan(session.scans.length);
  });
});

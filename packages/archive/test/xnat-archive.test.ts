// The XNAT layout read back as XCS objects: exact JSON (field names, key order, uri forms, NON_NULL
// omission, empty lists), every URI form, byId per spec 3.4, include filtering, walking up.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LoadOptions,
  openXnatArchive,
  parentXnatUri,
  serializeXnatObject,
  type XnatArchive,
  type XnatFile,
  type XnatObject,
  type XnatProject,
  type XnatResource,
  type XnatScan,
  type XnatSession,
  type XnatSubject,
  type XnatType,
} from "../src/index.js";
import { integerId, writeFixture } from "./archive-fixture.js";

let root: string;
let archive: XnatArchive;
beforeAll(() => {
  root = writeFixture();
  archive = openXnatArchive(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const only = (...types: XnatType[]): LoadOptions => ({ include: new Set(types) });
/** JSON text equality: same fields, same values, same key order. */
const same = (actual: XnatObject | undefined, expected: object) =>
  expect(JSON.stringify(actual, null, 1)).toBe(JSON.stringify(expected, null, 1));

function file(
  resourceUri: string,
  dir: string,
  relative: string,
  size: number,
  meta: { tags?: string[]; format?: string; content?: string } = {},
): XnatFile {
  const name = relative.split("/").pop()!;
  return {
    type: "File",
    label: name,
    uri: `${resourceUri}/files/${relative}`,
    name,
    path: join(root, dir, relative),
    tags: meta.tags ?? [],
    ...(meta.format === undefined ? {} : { format: meta.format }),
    ...(meta.content === undefined ? {} : { content: meta.content }),
    size,
  };
}

function resource(
  parentUri: string,
  dir: string,
  label: string,
  files: (uri: string, dir: string) => XnatFile[],
): XnatResource {
  const uri = `${parentUri}/resources/${label}`;
  return {
    type: "Resource",
    id: label,
    label,
    xsiType: "xnat:resourceCatalog",
    uri,
    directory: join(root, dir),
    "integer-id": integerId(dir),
    "parent-uri": parentUri,
    files: files(uri, dir),
  };
}

const S = "P1/arc001/sess1";

function session1(uri: string): XnatSession {
  return {
    type: "Session",
    id: "XNAT_E1",
    label: "sess1",
    xsiType: "xnat:mrSessionData",
    uri,
    directory: join(root, S),
    "project-id": "P1",
    "subject-id": "XNAT_S1",
    "visit-id": "v1",
    scans: [
      {
        type: "Scan",
        id: "1",
        label: "1 - T1",
        xsiType: "xnat:mrScanData",
        uri: `${uri}/scans/1`,
        directory: join(root, S, "SCANS/1"),
        "integer-id": 1,
        "scan-type": "T1",
        "project-id": "P1",
        "session-id": "XNAT_E1",
        frames: 176,
        note: "good",
        modality: "MR",
        quality: "usable",
        scanner: "MR1",
        "scanner-manufacturer": "Siemens",
        "scanner-model": "Prisma",
        "scanner-software-version": "VE11C",
        "series-description": "MPRAGE (sag)",
        "start-time": "10:00:00",
        uid: "1.2.3",
        resources: [
          resource(`${uri}/scans/1`, `${S}/SCANS/1/NIFTI`, "NIFTI", (r, d) => {
            const meta = { tags: ["t1"], format: "NIFTI", content: "RAW" };
            return [file(r, d, "T1.nii.gz", 10, meta), file(r, d, "sub/T1.json", 2, meta)];
          }),
          resource(`${uri}/scans/1`, `${S}/SCANS/1/DICOM`, "DICOM", (r, d) => [
            file(r, d, "1.dcm", 4),
          ]),
        ],
      },
      {
        type: "Scan",
        id: "2",
        label: "2 - rest",
        xsiType: "xnat:mrScanData",
        uri: `${uri}/scans/2`,
        directory: join(root, S, "SCANS/2"),
        "integer-id": 2,
        "scan-type": "rest",
        "project-id": "P1",
        "session-id": "XNAT_E1",
        frames: 200,
        resources: [],
      },
      {
        type: "Scan",
        id: "10",
        label: "10",
        xsiType: "xnat:mrScanData",
        uri: `${uri}/scans/10`,
        directory: join(root, S, "SCANS/10"),
        "integer-id": 10,
        "project-id": "P1",
        "session-id": "XNAT_E1",
        resources: [
          resource(`${uri}/scans/10`, `${S}/SCANS/10/SNAPSHOTS`, "SNAPSHOTS", (r, d) => [
            file(r, d, "s.png", 3),
          ]),
        ],
      },
    ],
    assessors: [
      {
        type: "Assessor",
        id: "XNAT_A1",
        label: "fs1",
        xsiType: "fs:fsData",
        uri: `${uri}/assessors/XNAT_A1`,
        directory: join(root, S, "ASSESSORS/fs1"),
        "project-id": "P1",
        "session-id": "XNAT_E1",
        name: "FreeSurfer",
        resources: [
          resource(`${uri}/assessors/XNAT_A1`, `${S}/ASSESSORS/fs1/DATA`, "DATA", (r, d) => [
            file(r, d, "stats.txt", 5),
          ]),
        ],
      },
    ],
    resources: [
      resource(uri, `${S}/RESOURCES/CSV`, "CSV", (r, d) => [file(r, d, "classes.csv", 4)]),
    ],
  };
}

describe("a session", () => {
  it("by URI: every field, every child, in XCS's JSON form", () => {
    const uri = "/archive/experiments/XNAT_E1";
    const found = archive.byUri("/experiments/XNAT_E1");
    same(found, session1(uri));
    // Already in serialised form: serialising again changes nothing.
    same(serializeXnatObject(found!), session1(uri));
  });

  it("by id, and by every URI form; children's URIs extend the form asked for", () => {
    same(archive.byId("Session", "XNAT_E1"), session1("/archive/experiments/XNAT_E1"));
    for (const uri of [
      "/archive/projects/P1/subjects/XNAT_S1/experiments/XNAT_E1",
      "/archive/projects/P1/experiments/XNAT_E1",
      "/archive/projects/PONE/experiments/XNAT_E1",
    ]) {
      same(archive.byUri(uri), session1(uri));
    }
    // XNAT also takes labels below a project.
    expect(archive.byUri("/projects/P1/experiments/sess1")?.id).toBe("XNAT_E1");
    expect(archive.byUri("/projects/P1/subjects/sub01/experiments/sess1")?.id).toBe("XNAT_E1");
  });

  it("is not found below another subject or project, nor by label without a project", () => {
    expect(archive.byUri("/projects/P1/subjects/XNAT_S2/experiments/XNAT_E1")).toBeUndefined();
    expect(archive.byUri("/projects/P2/experiments/XNAT_E1")).toBeUndefined();
    expect(archive.byUri("/experiments/sess1")).toBeUndefined();
    expect(archive.byId("Session", "sess1")).toBeUndefined();
    expect(archive.byUri("/experiments/nope")).toBeUndefined();
    expect(archive.byUri("/projects/nope/experiments/XNAT_E1")).toBeUndefined();
  });

  it("gets defaults when session.json leaves fields out", () => {
    same(archive.byUri("/experiments/sess2"), {
      type: "Session",
      id: "sess2",
      label: "sess2",
      xsiType: "xnat:petSessionData",
      uri: "/archive/experiments/sess2",
      directory: join(root, "P1/arc001/sess2"),
      "project-id": "P1",
      "subject-id": "XNAT_S1",
      scans: [],
      assessors: [],
      resources: [],
    });
    // A subject the project does not list is kept as written.
    expect((archive.byId("Session", "other") as XnatSession)["subject-id"]).toBe("x1");
  });
});

describe("scans, assessors, resources and files by URI", () => {
  const E = "/archive/experiments/XNAT_E1";

  it("a scan", () => {
    same(archive.byUri(`${E}/scans/2`), session1(E).scans[1]!);
    same(archive.byUri("/experiments/XNAT_E1/scans/10"), session1(E).scans[2]!);
    expect(archive.byUri(`${E}/scans/3`)).toBeUndefined();
  });

  it("an assessor, below its session or on its own", () => {
    same(archive.byUri(`${E}/assessors/XNAT_A1`), session1(E).assessors[0]!);
    expect(archive.byUri(`${E}/assessors/fs1`)?.id).toBe("XNAT_A1");
    const alone = archive.byUri("/experiments/XNAT_A1");
    expect(alone).toMatchObject({ type: "Assessor", uri: "/archive/experiments/XNAT_A1" });
  });

  it("a resource, by label or by its integer-id", () => {
    const nifti = session1(E).scans[0]!.resources[0]!;
    same(archive.byUri(`${E}/scans/1/resources/NIFTI`), nifti);
    same(archive.byUri(`${E}/scans/1/resources/${nifti["integer-id"]}`), nifti);
    same(archive.byUri(`${E}/resources/CSV`), session1(E).resources[0]!);
    expect(archive.byUri(`${E}/scans/2/resources/NIFTI`)).toBeUndefined();
  });

  it("a file, at any depth of its resource; catalogs and hidden files are not files", () => {
    const files = session1(E).scans[0]!.resources[0]!.files;
    same(archive.byUri(`${E}/scans/1/resources/NIFTI/files/sub/T1.json`), files[1]!);
    same(archive.byUri(`${E}/scans/1/resources/NIFTI/files/T1.nii.gz`), files[0]!);
    for (const name of ["scan_1_catalog.xml", ".hidden", "sub", "missing.nii", "sub/.x"]) {
      expect(archive.byUri(`${E}/scans/1/resources/NIFTI/files/${name}`)).toBeUndefined();
    }
  });
});

describe("projects and subjects", () => {
  const projectHead = (): XnatProject => ({
    type: "Project",
    id: "P1",
    label: "Project One",
    xsiType: "xnat:projectData",
    uri: "/archive/projects/P1",
    directory: join(root, "P1/arc001"),
    title: "The first project",
    "running-title": "P-ONE",
    description: "A test project",
    keywords: "mri test",
    accessibility: "private",
    aliases: ["PONE"],
    resources: [],
    subjects: [],
    "project-assets": [],
  });

  it("lists projects without children (a folder is a project with project.json or arc001)", () => {
    const projects = [...archive.projects()];
    same(projects[0], projectHead());
    same(projects[1], {
      type: "Project",
      id: "P2",
      label: "P2",
      xsiType: "xnat:projectData",
      uri: "/archive/projects/P2",
      directory: join(root, "P2/arc001"),
      resources: [],
      subjects: [],
      "project-assets": [],
    });
    expect(projects).toHaveLength(2);
  });

  it("a project by id or alias, with subjects (listed first, then folders) and resources", () => {
    const byAlias = archive.byId("Project", "PONE", only("Subject", "Resource", "File"));
    const expected = {
      ...projectHead(),
      resources: [
        resource("/archive/projects/P1", "P1/resources/PROTOCOLS", "PROTOCOLS", (r, d) => [
          file(r, d, "protocol.pdf", 4, { tags: ["protocol", "v2"], format: "PDF" }),
        ]),
      ],
    };
    const project = byAlias as XnatProject;
    same({ ...project, subjects: [] }, expected);
    expect(project.subjects.map((s) => [s.id, s.label, s.uri, s.sessions.length])).toEqual([
      ["XNAT_S1", "sub01", "/archive/projects/P1/subjects/XNAT_S1", 0],
      ["XNAT_S2", "sub02", "/archive/projects/P1/subjects/XNAT_S2", 0],
      ["sub03", "sub03", "/archive/projects/P1/subjects/sub03", 0],
    ]);
    expect(archive.byId("Project", "Project One")).toBeUndefined();
    same(archive.byUri("/projects/P1", only()), projectHead());
  });

  it("a subject by id, with its sessions, resources and subject assessors", () => {
    const subject = archive.byId("Subject", "XNAT_S1") as XnatSubject;
    const uri = "/archive/projects/P1/subjects/XNAT_S1";
    same(
      { ...subject, sessions: [] },
      {
        type: "Subject",
        id: "XNAT_S1",
        label: "sub01",
        xsiType: "xnat:subjectData",
        uri,
        "project-id": "P1",
        group: "control",
        source: "clinic",
        initials: "AB",
        sessions: [],
        resources: [
          resource(uri, "P1/subjects/sub01/resources/NOTES", "NOTES", (r, d) => [
            file(r, d, "notes.txt", 5),
          ]),
        ],
        "subject-assessors": [],
      },
    );
    expect(subject).not.toHaveProperty("directory");
    same(subject.sessions[0], session1(`${uri}/experiments/XNAT_E1`));
    expect(subject.sessions.map((s) => s.uri)).toEqual([
      `${uri}/experiments/XNAT_E1`,
      `${uri}/experiments/sess2`,
    ]);
    const other = archive.byUri("/projects/P1/subjects/sub02") as XnatSubject;
    same(other["subject-assessors"][0], {
      type: "SubjectAssessor",
      id: "XNAT_SA1",
      label: "demog",
      xsiType: "xnat:subjectVariablesData",
      uri: "/archive/projects/P1/subjects/sub02/experiments/XNAT_SA1",
      directory: join(root, "P1/arc001/demog"),
      "project-id": "P1",
      "subject-id": "XNAT_S2",
      resources: [
        resource(
          "/archive/projects/P1/subjects/sub02/experiments/XNAT_SA1",
          "P1/arc001/demog/RESOURCES/FORMS",
          "FORMS",
          (r, d) => [file(r, d, "form.txt", 4)],
        ),
      ],
    });
    expect(other.sessions).toEqual([]);
  });

  it("a subject that only has a folder", () => {
    const subject = archive.byUri("/projects/P1/subjects/sub03", only("Resource")) as XnatSubject;
    expect([subject.id, subject.label, subject.resources.map((r) => r.label)]).toEqual([
      "sub03",
      "sub03",
      ["CONSENT"],
    ]);
    expect(archive.byId("Subject", "sub03")?.uri).toBe("/archive/projects/P1/subjects/sub03");
    expect(archive.byUri("/subjects/XNAT_S2")?.label).toBe("sub02");
  });
});

describe("byId follows spec 3.4", () => {
  it("finds each type by its own id only", () => {
    expect(archive.byId("Scan", "1")).toBeUndefined();
    expect(archive.byId("ProjectAsset", "P1")).toBeUndefined();
    expect(archive.byId("File", "T1.nii.gz")).toBeUndefined();
    expect(archive.byId("Subject", "sub01")).toBeUndefined(); // a label, not an id
    expect(archive.byId("Session", "XNAT_SA1")).toBeUndefined(); // a subject assessor
    expect(archive.byId("SubjectAssessor", "XNAT_SA1")?.uri).toBe("/archive/experiments/XNAT_SA1");
    expect(archive.byId("SubjectAssessor", "XNAT_E1")).toBeUndefined();
    same(
      archive.byId("Assessor", "XNAT_A1"),
      session1("/archive/experiments/XNAT_E1").assessors[0]!,
    );
  });

  it("finds resources by their numeric integer-id, with a canonical URI", () => {
    const E = "/archive/experiments/XNAT_E1";
    for (const expected of [
      session1(E).scans[0]!.resources[1]!,
      session1(E).resources[0]!,
      session1(E).assessors[0]!.resources[0]!,
    ]) {
      same(archive.byId("Resource", String(expected["integer-id"])), expected);
    }
    const notes = archive.byId("Resource", String(integerId("P1/subjects/sub01/resources/NOTES")));
    expect(notes?.uri).toBe("/archive/projects/P1/subjects/XNAT_S1/resources/NOTES");
    const protocols = archive.byId("Resource", String(integerId("P1/resources/PROTOCOLS")));
    expect(protocols?.uri).toBe("/archive/projects/P1/resources/PROTOCOLS");
    expect(archive.byId("Resource", "CSV")).toBeUndefined();
    expect(archive.byId("Resource", "12345")).toBeUndefined();
  });
});

describe("include", () => {
  it("loads only the child types asked for", () => {
    const scansOnly = archive.byUri("/experiments/XNAT_E1", only("Scan")) as XnatSession;
    expect(scansOnly.scans.map((scan) => [scan.id, scan.resources])).toEqual([
      ["1", []],
      ["2", []],
      ["10", []],
    ]);
    expect([scansOnly.assessors, scansOnly.resources]).toEqual([[], []]);
    const noFiles = archive.byUri("/experiments/XNAT_E1", only("Scan", "Resource")) as XnatSession;
    expect(noFiles.scans[0]!.resources.map((r) => [r.label, r.files, r.directory])).toEqual([
      ["NIFTI", [], join(root, S, "SCANS/1/NIFTI")],
      ["DICOM", [], join(root, S, "SCANS/1/DICOM")],
    ]);
    const subjects = archive.byUri("/projects/P1", only("Subject")) as XnatProject;
    expect(subjects.subjects.every((s) => s.sessions.length === 0)).toBe(true);
    expect(subjects.resources).toEqual([]);
    // The object asked for is always loaded; include is about children.
    const scan = archive.byUri("/experiments/XNAT_E1/scans/1", only()) as XnatScan;
    expect([scan.id, scan.resources]).toEqual(["1", []]);
  });

  it("streams a project's sessions without children by default", () => {
    const sessions = [...archive.sessions("P1")];
    expect(sessions.map((s) => [s.id, s.uri, s.scans.length])).toEqual([
      ["XNAT_E1", "/archive/experiments/XNAT_E1", 0],
      ["sess2", "/archive/experiments/sess2", 0],
    ]);
    const withScans = [...archive.sessions("PONE", only("Scan"))];
    expect(withScans[0]!.scans.map((scan) => scan.label)).toEqual(["1 - T1", "2 - rest", "10"]);
    expect([...archive.sessions("nope")]).toEqual([]);
  });
});

describe("walking up", () => {
  it("from a file to its project through parent-uri, session-id, subject-id, project-id", () => {
    const fileUri = "/archive/experiments/XNAT_E1/scans/1/resources/NIFTI/files/sub/T1.json";
    const found = archive.byUri(fileUri) as XnatFile;
    const resourceObject = archive.byUri(parentXnatUri(found.uri!)!) as XnatResource;
    expect(resourceObject.label).toBe("NIFTI");
    const scan = archive.byUri(resourceObject["parent-uri"]!) as XnatScan;
    expect(scan.label).toBe("1 - T1");
    const session = archive.byId("Session", scan["session-id"]!) as XnatSession;
    const subject = archive.byId("Subject", session["subject-id"]!) as XnatSubject;
    const project = archive.byId("Project", subject["project-id"]!) as XnatProject;
    expect([session.label, subject.label, project.label]).toEqual([
      "sess1",
      "sub01",
      "Project One",
    ]);
    expect(session["project-id"]).toBe("P1");
  });
});

describe("opening", () => {
  it("refuses a root that is not a folder", () => {
    expect(() => openXnatArchive(join(root, "missing"))).toThrow(
      expect.objectContaining({ code: "E_ARCHIVE_ROOT", path: join(root, "missing") }),
    );
  });

  it("answers undefined for text that is not an XNAT URI", () => {
    expect(archive.byUri("P1")).toBeUndefined();
    expect(archive.byUri("/projects/P1/scans/1")).toBeUndefined();
    expect(archive.byId("Project", "")).toBeUndefined();
    expect(archive.byId("Project", "a/b")).toBeUndefined();
  });
});

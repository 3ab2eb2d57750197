// The listing of `xcs archive ls`: the text tree and the serialised objects.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  archiveTree,
  formatArchiveTree,
  generateXnatArchive,
  openXnatArchive,
  serializeXnatObject,
  type XnatArchive,
} from "../src/index.js";

let root: string;
let archive: XnatArchive;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "xnat-tree-"));
  generateXnatArchive({
    root,
    project: "P1",
    sessions: 3,
    scansPerSession: 2,
    resourcesPerScan: 2,
    sessionsPerSubject: 2,
    accessionIds: true,
  });
  generateXnatArchive({ root, project: "P2", sessions: 1, scansPerSession: 0 });
  // A session that no subject lists, with a session resource.
  mkdirSync(join(root, "P1/arc001/orphan/RESOURCES/CSV"), { recursive: true });
  writeFileSync(join(root, "P1/arc001/orphan/RESOURCES/CSV/a.csv"), "x");
  archive = openXnatArchive(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const P1_FULL = `project P1  "Generated project P1"
├── subject S00001 [P1_S00001]  group control
│   ├── session S00001_MR1 [P1_E00001]  xnat:mrSessionData
│   │   ├── scan 1  T1w  "MPRAGE sag"
│   │   │   ├── resource BIDS (1 file)
│   │   │   └── resource NIFTI (1 file)
│   │   └── scan 2  T2w  "T2 TSE axial"
│   │       ├── resource BIDS (1 file)
│   │       └── resource NIFTI (1 file)
│   └── session S00001_MR2 [P1_E00002]  xnat:mrSessionData
│       ├── scan 1  T1w  "MPRAGE sag"
│       │   ├── resource BIDS (1 file)
│       │   └── resource NIFTI (1 file)
│       └── scan 2  T2w  "T2 TSE axial"
│           ├── resource BIDS (1 file)
│           └── resource NIFTI (1 file)
├── subject S00002 [P1_S00002]  group patient
│   └── session S00002_MR1 [P1_E00003]  xnat:mrSessionData
│       ├── scan 1  T1w  "MPRAGE sag"
│       │   ├── resource BIDS (1 file)
│       │   └── resource NIFTI (1 file)
│       └── scan 2  T2w  "T2 TSE axial"
│           ├── resource BIDS (1 file)
│           └── resource NIFTI (1 file)
└── sessions without a listed subject
    └── session orphan  xnat:mrSessionData
        └── resource CSV (1 file)
`;

describe("formatArchiveTree", () => {
  it("shows every level with counts", () => {
    expect(formatArchiveTree(archive, { project: "P1" })).toBe(
      `${P1_FULL}1 project, 2 subjects, 4 sessions, 6 scans, 13 resources, 13 files\n`,
    );
  });

  it("stops at the depth asked for, and lists every project without --project", () => {
    expect(formatArchiveTree(archive, { depth: 2 })).toBe(
      [
        'project P1  "Generated project P1"',
        "├── subject S00001 [P1_S00001]  group control",
        "└── subject S00002 [P1_S00002]  group patient",
        'project P2  "Generated project P2"',
        "└── subject S00001  group control",
        "2 projects, 3 subjects",
        "",
      ].join("\n"),
    );
    expect(formatArchiveTree(archive, { depth: 1 })).toBe(
      'project P1  "Generated project P1"\nproject P2  "Generated project P2"\n2 projects\n',
    );
    const scans = formatArchiveTree(archive, { project: "P2", depth: 4 });
    expect(scans).toBe(
      'project P2  "Generated project P2"\n└── subject S00001  group control\n' +
        "    └── session S00001_MR1  xnat:mrSessionData\n" +
        "1 project, 1 subject, 1 session, 0 scans\n",
    );
  });

  it("refuses an unknown project and a bad depth", () => {
    expect(() => formatArchiveTree(archive, { project: "nope" })).toThrow(
      expect.objectContaining({ code: "E_ARCHIVE_MISSING" }),
    );
    expect(() => formatArchiveTree(archive, { depth: 0 })).toThrow(RangeError);
  });
});

describe("archiveTree", () => {
  it("gives the serialised objects, as byUri loads them", () => {
    const tree = archiveTree(archive, { project: "P1" });
    expect([tree.root, tree.layout]).toEqual([root, "xnat"]);
    expect(JSON.stringify(tree.projects[0])).toBe(
      JSON.stringify(serializeXnatObject(archive.byUri("/projects/P1")!)),
    );
    expect(tree.unlistedSessions.map((session) => session.uri)).toEqual([
      "/archive/experiments/orphan",
    ]);
    expect(tree.unlistedSessions[0]!.resources[0]!.files[0]!.name).toBe("a.csv");
    const shallow = archiveTree(archive, { depth: 3 });
    expect(shallow.projects[0]!.subjects[0]!.sessions[0]!.scans).toEqual([]);
    expect(shallow.unlistedSessions[0]!.resources).toEqual([]);
  });
});

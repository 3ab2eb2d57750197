// A small XNAT-layout archive written file by file, with every kind of object: a project with
// aliases and a resource, subjects listed and on disk only, a session with scans, assessors and
// resources (listed in metadata, on disk only, both), a subject assessor, a second project
// without project.json.
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function writeFiles(root: string, files: Record<string, string | object>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
}

/** The `integer-id` the archive gives the resource folder `relative` (documented scheme). */
export function integerId(relative: string): number {
  return Number.parseInt(createHash("sha1").update(relative).digest("hex").slice(0, 13), 16);
}

export const FIXTURE: Record<string, string | object> = {
  "P1/project.json": {
    id: "P1",
    label: "Project One",
    title: "The first project",
    "running-title": "P-ONE",
    description: "A test project",
    keywords: "mri test",
    accessibility: "private",
    aliases: ["PONE"],
    subjects: [
      { id: "XNAT_S1", label: "sub01", group: "control", source: "clinic", initials: "AB" },
      { id: "XNAT_S2", label: "sub02" },
    ],
    resources: [{ label: "PROTOCOLS", format: "PDF", tags: ["protocol", "v2"] }],
    note: "unknown keys are ignored",
  },
  "P1/resources/PROTOCOLS/protocol.pdf": "%PDF",
  "P1/subjects/sub01/resources/NOTES/notes.txt": "notes",
  "P1/subjects/sub03/resources/CONSENT/consent.txt": "ok",
  "P1/arc001/sess1/session.json": {
    id: "XNAT_E1",
    label: "sess1",
    subject: "sub01",
    "visit-id": "v1",
    modality: "MR",
    scans: [
      {
        id: "1",
        type: "T1",
        "series-description": "MPRAGE (sag)",
        frames: 176,
        quality: "usable",
        modality: "MR",
        uid: "1.2.3",
        "start-time": "10:00:00",
        scanner: "MR1",
        "scanner-manufacturer": "Siemens",
        "scanner-model": "Prisma",
        "scanner-software-version": "VE11C",
        note: "good",
        resources: [{ label: "NIFTI", format: "NIFTI", content: "RAW", tags: ["t1"] }],
      },
      { id: 2, type: "rest", frames: 200, xsiType: "xnat:mrScanData" },
    ],
    assessors: [{ id: "XNAT_A1", label: "fs1", xsiType: "fs:fsData", name: "FreeSurfer" }],
  },
  "P1/arc001/sess1/SCANS/1/NIFTI/T1.nii.gz": "0123456789",
  "P1/arc001/sess1/SCANS/1/NIFTI/sub/T1.json": "{}",
  "P1/arc001/sess1/SCANS/1/NIFTI/scan_1_catalog.xml": "<catalog/>",
  "P1/arc001/sess1/SCANS/1/NIFTI/.hidden": "x",
  "P1/arc001/sess1/SCANS/1/DICOM/1.dcm": "DICM",
  "P1/arc001/sess1/SCANS/10/SNAPSHOTS/s.png": "png",
  "P1/arc001/sess1/RESOURCES/CSV/classes.csv": "a,b\n",
  "P1/arc001/sess1/ASSESSORS/fs1/DATA/stats.txt": "stats",
  "P1/arc001/sess2/session.json": { subject: "XNAT_S1", xsiType: "xnat:petSessionData" },
  "P1/arc001/demog/session.json": {
    type: "SubjectAssessor",
    id: "XNAT_SA1",
    subject: "sub02",
    xsiType: "xnat:subjectVariablesData",
  },
  "P1/arc001/demog/RESOURCES/FORMS/form.txt": "form",
  "P2/arc001/other/session.json": { subject: "x1" },
  "not-a-project/readme.txt": "no project.json, no arc001",
};

export function writeFixture(): string {
  const root = mkdtempSync(join(tmpdir(), "xnat-archive-"));
  writeFiles(root, FIXTURE);
  mkdirSync(join(root, "P1/arc001/sess1/SCANS/2"), { recursive: true });
  return root;
}

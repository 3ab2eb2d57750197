// Lazy loading in generated 2,000-session projects, shown without timing: the metadata of every
// session but the ones looked up is made unreadable, and lookups that must not read it still
// work, while a read of all of it (streaming) fails. Also: the generator's output.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArchiveError,
  type GeneratedXnatArchive,
  generateXnatArchive,
  openXnatArchive,
  type XnatSession,
  type XnatSubject,
} from "../src/index.js";

let root: string;
let plain: GeneratedXnatArchive;
let accession: GeneratedXnatArchive;
const SESSIONS = 2000;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "xnat-lazy-"));
  const shape = {
    sessions: SESSIONS,
    scansPerSession: 1,
    resourcesPerScan: 1,
    filesPerResource: 1,
  };
  plain = generateXnatArchive({ root, project: "PLAIN", ...shape });
  accession = generateXnatArchive({
    root,
    project: "ACC",
    ...shape,
    sessionsPerSubject: 2,
    accessionIds: true,
  });
}, 120_000); // generating 2,000 sessions takes seconds on a busy machine
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Makes every session.json of `generated` but those of `keep` (labels) invalid JSON. */
function corruptAllBut(generated: GeneratedXnatArchive, keep: string[]): void {
  for (const label of generated.sessionLabels) {
    if (!keep.includes(label)) {
      writeFileSync(join(generated.projectDir, "arc001", label, "session.json"), "{ corrupt");
    }
  }
}

describe("generateXnatArchive", () => {
  it("writes the metadata and folders of the XNAT layout", () => {
    expect(plain.sessionIds).toHaveLength(SESSIONS);
    expect(plain.sessionIds).toEqual(plain.sessionLabels);
    expect([plain.files, plain.subjectIds.length]).toEqual([SESSIONS, SESSIONS]);
    expect(accession.sessionIds.slice(0, 3)).toEqual(["ACC_E00001", "ACC_E00002", "ACC_E00003"]);
    expect(accession.sessionLabels.slice(0, 3)).toEqual(["S00001_MR1", "S00001_MR2", "S00002_MR1"]);
    expect(accession.subjectIds).toHaveLength(SESSIONS / 2);
    const project = JSON.parse(readFileSync(join(accession.projectDir, "project.json"), "utf8"));
    expect(project.subjects[0]).toEqual({ id: "ACC_S00001", label: "S00001", group: "control" });
    expect(readdirSync(join(accession.projectDir, "arc001", "S00001_MR2", "SCANS", "1"))).toEqual([
      "NIFTI",
    ]);
  });

  it("is deterministic and refuses to write over a project", () => {
    const other = mkdtempSync(join(tmpdir(), "xnat-gen-"));
    try {
      const options = { project: "D", sessions: 3, scansPerSession: 2, resourcesPerScan: 7 };
      generateXnatArchive({ root: other, ...options });
      const session = (dir: string) =>
        readFileSync(join(dir, "D/arc001/S00002_MR1/session.json"), "utf8");
      const first = session(other);
      rmSync(join(other, "D"), { recursive: true });
      generateXnatArchive({ root: other, ...options });
      expect(session(other)).toBe(first);
      expect(readdirSync(join(other, "D/arc001/S00002_MR1/SCANS/2")).sort()).toEqual(
        ["BIDS", "DICOM", "NIFTI", "NIFTI6", "PHYSIO", "QC", "SNAPSHOTS"].sort(),
      );
      expect(() => generateXnatArchive({ root: other, ...options })).toThrow(
        expect.objectContaining({ code: "E_ARCHIVE_EXISTS" }),
      );
      expect(() => generateXnatArchive({ root: other, project: "E", sessions: -1 })).toThrow(
        RangeError,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe("a lookup reads only what it needs", () => {
  it("finds a session by id, URI, scan and file without reading the other 1,999", () => {
    const target = plain.sessionLabels[1234]!;
    corruptAllBut(plain, [target]);
    const reads: string[] = [];
    const archive = openXnatArchive(root, { onMetadataRead: (path) => reads.push(path) });
    const session = archive.byUri(`/archive/experiments/${target}`) as XnatSession;
    expect([session.id, session["subject-id"], session.scans[0]!.label]).toEqual([
      target,
      plain.subjectIds[1234],
      "1 - T1w",
    ]);
    expect(archive.byId("Session", target)?.label).toBe(target);
    expect(
      archive.byUri(`/projects/PLAIN/experiments/${target}/scans/1/resources/NIFTI`),
    ).toMatchObject({ files: [{ name: `${target}_1_1.dat` }] });
    const own = join(plain.projectDir, "arc001", target, "session.json");
    // Three lookups, three reads of the one session.json (project.json files are read once).
    expect(reads.filter((path) => path.endsWith("session.json"))).toEqual([own, own, own]);
    // The corruption is real: reading every session fails.
    expect(() => [...archive.sessions("PLAIN")]).toThrow(ArchiveError);
  });

  it("builds a project's index once, and again only when the project's folders change", () => {
    let sessionReads = 0;
    const archive = openXnatArchive(root, {
      onMetadataRead: (path) => {
        if (path.endsWith("session.json")) sessionReads++;
      },
    });
    const missing = "/projects/ACC/experiments/ACC_E99999";
    // Ids differ from labels: the first lookup by id reads every session.json once.
    const first = archive.byId("Session", accession.sessionIds[10]!) as XnatSession;
    expect(first.label).toBe(accession.sessionLabels[10]);
    expect(sessionReads).toBe(SESSIONS + 1); // the index, then the session itself
    sessionReads = 0;
    const keep = [500, 501, 1999].map((i) => accession.sessionLabels[i]!);
    corruptAllBut(accession, keep);
    // The index is not rebuilt: lookups by id still read only their own session.json.
    expect(archive.byId("Session", accession.sessionIds[500]!)?.label).toBe(keep[0]);
    expect(archive.byUri(`/experiments/${accession.sessionIds[1999]}`)?.label).toBe(keep[2]);
    const subject = archive.byId("Subject", accession.subjectIds[250]!) as XnatSubject;
    expect(subject.sessions.map((s) => s.label)).toEqual(keep.slice(0, 2));
    expect(archive.byUri(missing)).toBeUndefined();
    expect(sessionReads).toBe(1 + 1 + 2); // one per session found, none for the miss
    // A new session folder changes arc001: the index is rebuilt and meets the corrupt files,
    // so a miss can no longer be told from a session whose metadata is broken.
    mkdirSync(join(accession.projectDir, "arc001", "new_session"));
    expect(() => archive.byUri(missing)).toThrow(
      expect.objectContaining({ code: "E_ARCHIVE_JSON" }),
    );
    expect(archive.byId("Session", accession.sessionIds[500]!)?.label).toBe(keep[0]);
  });
});

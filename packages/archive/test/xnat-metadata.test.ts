// Bad metadata is an ArchiveError naming the file and the JSON pointer; a missing optional file
// gives defaults; bad metadata elsewhere does not stop lookups that do not need it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArchiveError, openXnatArchive } from "../src/index.js";
import { writeFiles } from "./archive-fixture.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "xnat-metadata-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function errorOf(action: () => unknown): ArchiveError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveError);
    return error as ArchiveError;
  }
  throw new Error("no error thrown");
}

describe("session.json", () => {
  it.each([
    ["{ not json", "E_ARCHIVE_JSON", ""],
    ["[]", "E_ARCHIVE_FORMAT", ""],
    ['{"scans": {}}', "E_ARCHIVE_FORMAT", "/scans"],
    ['{"scans": [{"type": "T1"}]}', "E_ARCHIVE_FORMAT", "/scans/0/id"],
    ['{"scans": [{"id": "1", "frames": "200"}]}', "E_ARCHIVE_FORMAT", "/scans/0/frames"],
    ['{"scans": [{"id": "1", "frames": 1.5}]}', "E_ARCHIVE_FORMAT", "/scans/0/frames"],
    ['{"scans": [{"id": "1"}, {"id": 1}]}', "E_ARCHIVE_FORMAT", "/scans/1/id"],
    ['{"scans": [{"id": "a/b"}]}', "E_ARCHIVE_FORMAT", "/scans/0/id"],
    [
      '{"scans": [{"id": "1", "type": "T1", "scan-type": "T2"}]}',
      "E_ARCHIVE_FORMAT",
      "/scans/0/scan-type",
    ],
    [
      '{"scans": [{"id": "1", "resources": [{}]}]}',
      "E_ARCHIVE_FORMAT",
      "/scans/0/resources/0/label",
    ],
    [
      '{"scans": [{"id": "1", "resources": [{"label": "N", "tags": "a,b"}]}]}',
      "E_ARCHIVE_FORMAT",
      "/scans/0/resources/0/tags",
    ],
    ['{"resources": [{"label": "A"}, {"label": "A"}]}', "E_ARCHIVE_FORMAT", "/resources/1/label"],
    ['{"assessors": [{"xsiType": "x"}]}', "E_ARCHIVE_FORMAT", "/assessors/0"],
    ['{"subject": true}', "E_ARCHIVE_FORMAT", "/subject"],
    ['{"visit-id": 3}', "E_ARCHIVE_FORMAT", "/visit-id"],
    ['{"type": "Scan"}', "E_ARCHIVE_FORMAT", "/type"],
    ['{"type": "SubjectAssessor", "scans": [{"id": "1"}]}', "E_ARCHIVE_FORMAT", "/type"],
  ])("%s is %s at %j", (text, code, pointer) => {
    writeFiles(root, { "P/arc001/s1/session.json": text });
    const path = join(root, "P/arc001/s1/session.json");
    const error = errorOf(() => openXnatArchive(root).byUri("/experiments/s1"));
    expect([error.code, error.path, error.pointer]).toEqual([code, path, pointer]);
    expect(error.message.startsWith(`${path}${pointer ? ` ${pointer}` : ""}: `)).toBe(true);
  });

  it("names the problem in words", () => {
    writeFiles(root, { "P/arc001/s1/session.json": '{"scans": [{"id": "1", "frames": "200"}]}' });
    expect(() => openXnatArchive(root).byUri("/experiments/s1")).toThrow(
      /session\.json \/scans\/0\/frames: must be a whole number >= 0, not string "200"$/,
    );
  });

  it("ignores unknown keys and accepts numbers as ids", () => {
    writeFiles(root, {
      "P/arc001/s1/session.json": { date: "2024-01-01", scans: [{ id: 7, comment: "x" }] },
    });
    const session = openXnatArchive(root).byUri("/experiments/s1", { include: new Set(["Scan"]) });
    expect(session).toMatchObject({ scans: [{ id: "7", "integer-id": 7 }] });
  });
});

describe("project.json", () => {
  it.each([
    ["{", "E_ARCHIVE_JSON", ""],
    ['{"subjects": {}}', "E_ARCHIVE_FORMAT", "/subjects"],
    ['{"subjects": [{"group": "x"}]}', "E_ARCHIVE_FORMAT", "/subjects/0"],
    ['{"subjects": [{"id": "S1"}, {"label": "S1"}]}', "E_ARCHIVE_FORMAT", "/subjects/1/id"],
    ['{"aliases": ["a", 1]}', "E_ARCHIVE_FORMAT", "/aliases/1"],
    ['{"title": ["x"]}', "E_ARCHIVE_FORMAT", "/title"],
    ['{"id": "OTHER"}', "E_ARCHIVE_FORMAT", "/id"],
  ])("%s is %s at %j", (text, code, pointer) => {
    writeFiles(root, { "P/project.json": text });
    const error = errorOf(() => [...openXnatArchive(root).projects()]);
    expect([error.code, error.path, error.pointer]).toEqual([
      code,
      join(root, "P/project.json"),
      pointer,
    ]);
  });

  it("is read again when it changes", () => {
    writeFiles(root, { "P/project.json": { title: "one" } });
    const archive = openXnatArchive(root);
    expect(archive.byId("Project", "P")).toMatchObject({ title: "one" });
    writeFiles(root, { "P/project.json": { title: "two, a longer title" } });
    expect(archive.byId("Project", "P")).toMatchObject({ title: "two, a longer title" });
  });
});

describe("bad metadata elsewhere", () => {
  beforeEach(() => {
    writeFiles(root, {
      "P/project.json": { subjects: [{ id: "S1" }] },
      "P/arc001/good/session.json": { subject: "S1", scans: [{ id: "1" }] },
      "P/arc001/acc/session.json": { id: "XNAT_E9", subject: "S1" },
      "P/arc001/bad/session.json": "{ broken",
    });
  });

  it("does not stop a lookup that reads only the session asked for", () => {
    const archive = openXnatArchive(root);
    expect(archive.byUri("/experiments/good/scans/1")?.label).toBe("1");
    expect(archive.byUri("/projects/P/experiments/acc")?.id).toBe("XNAT_E9");
  });

  it("stops a lookup that needs the index, naming the file, unless the index finds it", () => {
    const archive = openXnatArchive(root);
    expect(archive.byId("Session", "XNAT_E9")?.directory).toBe(join(root, "P/arc001/acc"));
    const error = errorOf(() => archive.byId("Session", "XNAT_E404"));
    expect([error.code, error.path]).toEqual([
      "E_ARCHIVE_JSON",
      join(root, "P/arc001/bad/session.json"),
    ]);
    // A subject's sessions may hide in the bad file: loading them fails too.
    expect(() => archive.byId("Subject", "S1")).toThrow(/bad\/session\.json/);
    expect(archive.byId("Subject", "S1", { include: new Set() })?.id).toBe("S1");
    // Streaming reports the bad session when it comes to it.
    const seen: string[] = [];
    expect(() => {
      for (const session of archive.sessions("P")) seen.push(session.id ?? "");
    }).toThrow(/bad\/session\.json/);
    expect(seen).toEqual(["XNAT_E9"]);
  });

  it("lists a resource holding a link to its own folder without looping forever", () => {
    const resource = join(root, "P/arc001/s1/SCANS/1/NIFTI");
    mkdirSync(resource, { recursive: true });
    writeFileSync(join(resource, "a.nii"), "x");
    symlinkSync(resource, join(resource, "again"));
    const session = openXnatArchive(root).byUri("/experiments/s1");
    const files = session?.type === "Session" ? session.scans[0]?.resources[0]?.files : [];
    expect(files?.map((file) => file.name)).toEqual(["a.nii"]);
  });

  // A link to itself cannot be listed by anyone, root included (ELOOP), unlike a chmod 000.
  it("reports unreadable folders as E_ARCHIVE_READ", () => {
    mkdirSync(join(root, "P/arc001/good"), { recursive: true });
    const dir = join(root, "P/arc001/good/SCANS");
    symlinkSync(dir, dir);
    const error = errorOf(() => openXnatArchive(root).byUri("/experiments/good"));
    expect([error.code, error.path]).toEqual(["E_ARCHIVE_READ", dir]);
  });
});

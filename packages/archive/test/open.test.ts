// openArchive: the layout of a root, detected or given.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { detectArchiveLayout, generateXnatArchive, openArchive } from "../src/index.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "archive-open-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("openArchive", () => {
  it("opens a root with a project folder in the XNAT layout", () => {
    generateXnatArchive({ root, project: "P1", sessions: 1 });
    expect(detectArchiveLayout(root)).toBe("xnat");
    const archive = openArchive(root);
    expect([archive.layout, archive.root]).toEqual(["xnat", root]);
    expect(archive.byUri("/experiments/S00001_MR1")?.type).toBe("Session");
  });

  it("opens other roots as RADIFOX studies, unless told", () => {
    mkdirSync(join(root, "SUBJ01", "SUBJ01_01", "nii"), { recursive: true });
    expect(detectArchiveLayout(root)).toBe("radifox");
    expect(openArchive(root).layout).toBe("radifox");
    expect(openArchive(root, { layout: "xnat" }).layout).toBe("xnat");
  });

  it("refuses a root that is not a folder", () => {
    expect(() => openArchive(join(root, "missing"))).toThrow(
      expect.objectContaining({ code: "E_ARCHIVE_ROOT", path: join(root, "missing") }),
    );
  });
});

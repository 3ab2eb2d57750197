import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { globSync } from "./glob.js";

const root = realpathSync(mkdtempSync(join(tmpdir(), "glob-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "S1", "1", "nii"), { recursive: true });
for (const name of [
  "S1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz",
  "S1_1_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
  ".hidden.nii.gz",
]) {
  writeFileSync(join(root, "S1", "1", "nii", name), "");
}
const rel = (pattern: string, recursive = false) =>
  globSync(join(root, pattern), { recursive }).map((img) => relative(root, img.path));

describe("globSync", () => {
  it("follows Python's glob rules and returns pathlib order", () => {
    expect(rel("*/*/nii/*.nii.gz")).toEqual([
      "S1/1/nii/S1_1_01-01_BRAIN-T1-SE-2D-AXIAL-PRE.nii.gz",
      "S1/1/nii/S1_1_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz",
    ]);
    expect(rel("**/*T2*", true)).toEqual(["S1/1/nii/S1_1_01-02_BRAIN-T2-FSE-2D-AXIAL-PRE.nii.gz"]);
    expect(rel("**/*T2*")).toEqual([]);
    expect(rel("S1/1/nii/.*")).toEqual(["S1/1/nii/.hidden.nii.gz"]);
  });

  it("matches nothing for an empty pattern, as Python does", () => {
    expect(globSync("")).toEqual([]);
  });
});

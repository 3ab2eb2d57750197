import type { Stats } from "node:fs";
import { describe, expect, it } from "vitest";
import { inPlace } from "./in-place.js";
import { copyRecord } from "./manifest.js";

/** Just the fields the judgement reads. */
function stat(fields: { dev: number; ino: number; size: number; mtimeMs: number }): Stats {
  return { ...fields, isFile: () => true, isSymbolicLink: () => false } as unknown as Stats;
}

const source = "/archive/S1/SCANS/1/NIFTI/sub-01_T1w.nii.gz";
const sourceStat = stat({ dev: 1, ino: 10, size: 500, mtimeMs: 1_700_000_000_123.25 });
/** A copy of the source on its own file system: same size and time (to a µs), another inode. */
const copy = stat({ dev: 1, ino: 99, size: 500, mtimeMs: sourceStat.mtimeMs + 0.0005 });
const at = (stats: Stats, before = copyRecord(source, sourceStat, true)) => ({
  path: "/bids/sub-01/anat/sub-01_T1w.nii.gz",
  stat: stats,
  before,
});

describe("inPlace", () => {
  const origin = { source, stat: sourceStat };

  it("hard mode: the source's inode is in place; a copy on the same file system is not", async () => {
    expect((await inPlace(origin, at(sourceStat), "hard"))?.method).toBe("hard");
    expect(await inPlace(origin, at(copy, copyRecord(source, sourceStat)), "hard")).toBeUndefined();
  });

  it("hard mode: the copy an earlier run made because linking was impossible is in place", async () => {
    const found = await inPlace(origin, at(copy), "hard");
    expect(found?.method).toBe("copy");
    expect(found?.record).toEqual(copyRecord(source, sourceStat, true));
  });

  it("hard mode: a copy on another file system stands for the link", async () => {
    const elsewhere = stat({ dev: 2, ino: 10, size: 500, mtimeMs: sourceStat.mtimeMs });
    expect((await inPlace(origin, at(elsewhere, undefined), "hard"))?.method).toBe("copy");
  });

  it("copy mode: a copy of the same size and time is in place; the source's inode is not", async () => {
    expect((await inPlace(origin, at(copy, undefined), "copy"))?.method).toBe("copy");
    expect(await inPlace(origin, at(sourceStat, undefined), "copy")).toBeUndefined();
    const newer = stat({ dev: 1, ino: 99, size: 500, mtimeMs: sourceStat.mtimeMs + 5 });
    expect(await inPlace(origin, at(newer, undefined), "copy")).toBeUndefined();
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCheckpoints } from "./checkpoint.js";
import { contentRecord, MANIFEST_FILE, type PlacedFiles, STATE_FOLDER } from "./manifest.js";

const output = mkdtempSync(join(tmpdir(), "xnat2bids-checkpoint-"));
mkdirSync(join(output, STATE_FOLDER));
afterAll(() => rmSync(output, { recursive: true, force: true }));

/** The targets the manifest records; none while it is not written yet. */
function recorded(): string[] {
  try {
    return Object.keys(JSON.parse(readFileSync(join(output, MANIFEST_FILE), "utf8")).files).sort();
  } catch {
    return [];
  }
}

describe("startCheckpoints", () => {
  it("records the files placed so far over the earlier records while a run goes on", async () => {
    const before: PlacedFiles = new Map([["README", contentRecord("old")]]);
    const placed: PlacedFiles = new Map();
    const checkpoints = startCheckpoints(output, before, placed, 10);
    placed.set("sub-01/anat/sub-01_T1w.json", contentRecord("{}"));
    await expect
      .poll(recorded, { timeout: 5_000, interval: 20 })
      .toEqual(["README", "sub-01/anat/sub-01_T1w.json"]);
    placed.set("sub-01/anat/sub-01_T2w.json", contentRecord("{}"));
    await checkpoints.stop();
    // Stopped: nothing more is written, whatever is placed later.
    placed.set("sub-01/anat/sub-01_FLAIR.json", contentRecord("{}"));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(recorded()).not.toContain("sub-01/anat/sub-01_FLAIR.json");
  });
});

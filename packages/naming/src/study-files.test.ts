import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StudyFileError } from "./errors.js";
import {
  type ManualName,
  parseManualNaming,
  parseUnconvertedInfo,
  readManualNaming,
  readUnconvertedInfo,
} from "./study-files.js";

const dir = mkdtempSync(join(tmpdir(), "study-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function formatError(run: () => unknown): StudyFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof StudyFileError) return error;
    throw error;
  }
  throw new Error("no error");
}

// Files as radifox-convert and the QA app write them, produced by Python's own json module.
const python = spawnSync("python3", ["--version"]).status === 0;
if (!python && process.env.CI === "true") throw new Error("python3 is required in CI");
if (!python) console.warn("skipping Python-written study files: python3 not found");

function writeWithPython(path: string, source: string) {
  const script = `import json, math\nwith open(${JSON.stringify(path)}, "w") as f:\n    json.dump(${source}, f, indent=4, sort_keys=True)`;
  const result = spawnSync("python3", ["-c", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
}

describe.skipIf(!python)("files written by Python", () => {
  it("reads a ManualNaming file", async () => {
    const path = join(dir, "S_1_ManualNaming.json");
    writeWithPython(
      path,
      `{"dcm/1.2.3.01": ["BRAIN", "T1", None, "3D", None, "PRE"], "dcm/1.2.3.02": False, "dcm/1.2.3.03": ["BRAIN", None, None, None, None, None, "ECHO1"]}`,
    );
    const naming = await readManualNaming(path);
    expect(naming.get("dcm/1.2.3.01")).toEqual(["BRAIN", "T1", null, "3D", null, "PRE"]);
    expect(naming.get("dcm/1.2.3.02")).toBe(false);
    expect((naming.get("dcm/1.2.3.03") as ManualName)[6]).toBe("ECHO1");
  });

  it("reads an UnconvertedInfo file, NaN included", async () => {
    const path = join(dir, "S_1_UnconvertedInfo.json");
    writeWithPython(
      path,
      `{"Metadata": {"ProjectID": "STUDY", "SubjectID": "123456", "SessionID": "1", "SiteID": None, "_NoProjectSubdir": False},
        "SeriesList": [{"SeriesDescription": "LOCALIZER", "SliceSpacing": math.nan, "ConvertImage": False}],
        "__version__": {"radifox": "1.1.0"}}`,
    );
    const info = await readUnconvertedInfo(path);
    expect(info.metadata).toMatchObject({
      projectId: "STUDY",
      subjectId: "123456",
      sessionId: "1",
      siteId: null,
    });
    expect(info.seriesList[0]?.get("series_description")).toBe("LOCALIZER");
    expect(Number.isNaN(info.seriesList[0]?.get("SliceSpacing"))).toBe(true);
  });
});

describe("study file checks", () => {
  it("points at the offending entry with a JSON pointer", () => {
    const short = formatError(() => parseManualNaming('{"dcm/a~b/1": ["BRAIN", "T1"]}', "m.json"));
    expect([short.code, short.pointer]).toEqual(["E_STUDY_FORMAT", "/dcm~1a~0b~11"]);
    const typed = formatError(() =>
      parseManualNaming('{"s": ["A", "B", "C", "D", "E", 6]}', "m.json"),
    );
    expect(typed.pointer).toBe("/s/5");
    const noMeta = formatError(() => parseUnconvertedInfo('{"SeriesList": []}', "u.json"));
    expect(noMeta.pointer).toBe("/Metadata");
  });

  it("reports broken JSON with line and column, and missing files", async () => {
    const broken = formatError(() => parseManualNaming('{\n  "a": [,]\n}', "m.json"));
    expect(broken.code).toBe("E_STUDY_JSON");
    expect(broken.message).toMatch(/line 2, column \d+/);
    await expect(readManualNaming(join(dir, "absent.json"))).rejects.toMatchObject({
      code: "E_STUDY_READ",
    });
  });
});

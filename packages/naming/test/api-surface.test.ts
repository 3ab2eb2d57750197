// The public face of @radifox/naming. A removed or renamed export fails here; an added one
// must be added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "FILTER_KEYS",
  "FilterCondition",
  "FilterSyntaxError",
  "IMAGE_FOLDERS",
  "ImageFile",
  "ImageFilter",
  "JsonSyntaxError",
  "NameError",
  "NamingError",
  "PyFloat",
  "PyTuple",
  "RealpathResolver",
  "SESSION_FOLDERS",
  "SeriesInfo",
  "SidecarError",
  "StudyFileError",
  "TYPE_COMPONENTS",
  "anyOf",
  "compareCodePoints",
  "comparePaths",
  "contains",
  "fnmatchRegExp",
  "formatFilterEntries",
  "formatName",
  "globSync",
  "lacks",
  "not",
  "parseFilterString",
  "parseManualNaming",
  "parseName",
  "parsePythonJson",
  "parseSeriesInfo",
  "parseUnconvertedInfo",
  "pascalKey",
  "pathSuffixes",
  "pyFloat",
  "pyTuple",
  "pythonFloatRepr",
  "pythonRealpath",
  "pythonReplace",
  "pythonRepr",
  "pythonStr",
  "pythonStringRepr",
  "pythonTitle",
  "readManualNaming",
  "readSeriesInfo",
  "readSeriesInfoSync",
  "readUnconvertedInfo",
  "scanStudy",
  "sessionLayout",
  "sessionPath",
  "subjectFolderName",
];

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("exports error classes that carry a stable code", () => {
    const error = new api.NameError("E_NAME_SYNTAX", "bad", { part: "modality", fileName: "x" });
    expect(error).toBeInstanceOf(api.NamingError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("E_NAME_SYNTAX");
    expect(error.name).toBe("NameError");
  });
});

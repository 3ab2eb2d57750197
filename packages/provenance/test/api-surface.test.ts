// The public face of @radifox/provenance. A removed or renamed export fails here; an added one
// must be added to the list.
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "CONTAINER_ENV",
  "CONTAINER_LABELS",
  "FilePath",
  "LABELS_FILE",
  "Overlay",
  "ProcessingModule",
  "ProvenanceError",
  "RADIFOX_PROV_NAMESPACE",
  "appendRecord",
  "closeHashPool",
  "defineModule",
  "detectContainer",
  "executeModule",
  "exitCodeFor",
  "exportBidsGeneratedBy",
  "exportProvJson",
  "filePath",
  "findRecordsFor",
  "formatDuration",
  "fullyQualifiedHostName",
  "hashDir",
  "hashFile",
  "hashFileDir",
  "hashFileList",
  "hashFiles",
  "hashValue",
  "hostFacts",
  "isoSeconds",
  "lineage",
  "lineageNodes",
  "locatePath",
  "overlay",
  "parseKeyValue",
  "parseRecords",
  "placeRecord",
  "producerOf",
  "provPathFor",
  "readRecordFile",
  "readSessionRecords",
  "recordBody",
  "recordId",
  "recordedFiles",
  "recordedPath",
  "renderRecord",
  "runExternal",
  "sessionFileFor",
  "sessionRecordPath",
  "userName",
  "verifySession",
  "withFileLock",
];

describe("public API", () => {
  it("exports exactly the documented names", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("ProvenanceError carries a code, the module and the path", () => {
    const error = new api.ProvenanceError("E_PROV_READ", "bad", { module: "m", path: "a.prov" });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("E_PROV_READ");
    expect(error.module).toBe("m");
    expect(error.path).toBe("a.prov");
  });
});

// The public face of @xcs/archive. A removed or renamed export fails here; an added one must be
// added to the list (and to the README's API section).
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const EXPORTS = [
  "ARCHIVE_PREFIX",
  "ArchiveError",
  "XNAT_TYPES",
  "archiveTree",
  "assessorUri",
  "detectArchiveLayout",
  "experimentUri",
  "fileUri",
  "formatArchiveTree",
  "formatXnatUri",
  "generateXnatArchive",
  "importDcm2niix",
  "includesType",
  "isXnatType",
  "openArchive",
  "openRadifoxArchive", // the RADIFOX layout (src/radifox)
  "openXnatArchive",
  "parentXnatUri",
  "parseXnatUri",
  "projectUri",
  "resourceUri",
  "scanUri",
  "serializeXnatObject",
  "subjectUri",
  "withArchivePrefix",
];

describe("@xcs/archive", () => {
  it("exports exactly the documented API", () => {
    expect(Object.keys(api).sort()).toEqual([...EXPORTS].sort());
  });

  it("errors carry a stable code and the path", () => {
    const error = new api.ArchiveError("E_ARCHIVE_FORMAT", "must be a list", {
      path: "/a/session.json",
      pointer: "/scans",
    });
    expect([error.name, error.code, error.path, error.pointer, error.message]).toEqual([
      "ArchiveError",
      "E_ARCHIVE_FORMAT",
      "/a/session.json",
      "/scans",
      "/a/session.json /scans: must be a list",
    ]);
    expect(error).toBeInstanceOf(Error);
  });
});

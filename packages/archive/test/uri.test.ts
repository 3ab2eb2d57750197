// XNAT URIs: every form XCS reads, parsed and built back; forms that are not URIs.
import { describe, expect, it } from "vitest";
import {
  assessorUri,
  experimentUri,
  fileUri,
  formatXnatUri,
  parentXnatUri,
  parseXnatUri,
  projectUri,
  resourceUri,
  scanUri,
  subjectUri,
  withArchivePrefix,
} from "../src/index.js";

const FORMS: [string, object][] = [
  ["/archive/projects/P1", { kind: "project", project: "P1" }],
  ["/archive/projects/P1/subjects/XNAT_S1", { kind: "subject", project: "P1", subject: "XNAT_S1" }],
  [
    "/archive/projects/P1/subjects/XNAT_S1/experiments/E1",
    { kind: "experiment", project: "P1", subject: "XNAT_S1", experiment: "E1" },
  ],
  ["/archive/projects/P1/experiments/E1", { kind: "experiment", project: "P1", experiment: "E1" }],
  ["/archive/experiments/E1", { kind: "experiment", experiment: "E1" }],
  ["/archive/subjects/XNAT_S1", { kind: "subject", subject: "XNAT_S1" }],
  ["/archive/experiments/E1/scans/10", { kind: "scan", experiment: "E1", scan: "10" }],
  ["/archive/experiments/E1/assessors/A1", { kind: "assessor", experiment: "E1", assessor: "A1" }],
  [
    "/archive/projects/P1/subjects/S/experiments/E1/scans/1",
    { kind: "scan", project: "P1", subject: "S", experiment: "E1", scan: "1" },
  ],
  ["/archive/projects/P1/resources/CSV", { kind: "resource", project: "P1", resource: "CSV" }],
  [
    "/archive/projects/P1/subjects/S/resources/R",
    { kind: "resource", project: "P1", subject: "S", resource: "R" },
  ],
  ["/archive/subjects/S/resources/R", { kind: "resource", subject: "S", resource: "R" }],
  [
    "/archive/experiments/E1/scans/1/resources/DICOM",
    { kind: "resource", experiment: "E1", scan: "1", resource: "DICOM" },
  ],
  [
    "/archive/experiments/E1/assessors/A1/resources/OUT/files/a/b c.txt",
    {
      kind: "file",
      experiment: "E1",
      assessor: "A1",
      resource: "OUT",
      file: "a/b c.txt",
    },
  ],
  [
    "/archive/experiments/E1/resources/CSV/files/classes.csv",
    { kind: "file", experiment: "E1", resource: "CSV", file: "classes.csv" },
  ],
];

describe("parseXnatUri / formatXnatUri", () => {
  it.each(FORMS)("%s round-trips", (uri, parts) => {
    expect(parseXnatUri(uri)).toEqual(parts);
    expect(formatXnatUri(parseXnatUri(uri)!)).toBe(uri);
  });

  it("reads URIs without /archive, with a trailing slash and with percent escapes", () => {
    expect(parseXnatUri("/experiments/E1/scans/1")).toEqual({
      kind: "scan",
      experiment: "E1",
      scan: "1",
    });
    expect(formatXnatUri(parseXnatUri("/projects/P1/")!)).toBe("/archive/projects/P1");
    expect(parseXnatUri("/experiments/E1/resources/My%20Res")?.resource).toBe("My Res");
    // The file part keeps its slashes: only segments are decoded.
    expect(parseXnatUri("/experiments/E1/resources/R/files/x%2Fy")?.file).toBe("x/y");
  });

  it.each([
    "",
    "projects/P1",
    "/",
    "/archive",
    "/archive/projects",
    "/projects/P1/scans/1",
    "/experiments/E1/scans",
    "/experiments/E1/scans/1/assessors/A",
    "/subjects/S/experiments/E1",
    "/experiments/E1/files/x",
    "/experiments/E1/resources/R/files",
    "/experiments/E1/resources/R/files/../x",
    "/projects//subjects/S",
    "/experiments/E1/resources/R/extra",
    "/experiments/%E0%A4%A",
    "/data/experiments/E1",
  ])("refuses %j", (uri) => {
    expect(parseXnatUri(uri)).toBeUndefined();
  });

  it("refuses to build parts no URI has", () => {
    expect(() => formatXnatUri({ scan: "1" })).toThrow(RangeError);
    expect(() => formatXnatUri({ experiment: "E", scan: "1", assessor: "A" })).toThrow(/both/);
    expect(() => formatXnatUri({ experiment: "E", file: "x" })).toThrow(/needs a resource/);
    expect(() => formatXnatUri({ subject: "S", experiment: "E" })).toThrow(/needs the project/);
    expect(() => formatXnatUri({ project: "a/b" })).toThrow(/segment/);
  });
});

describe("parseXnatUri refuses paths smuggled through escapes", () => {
  it("refuses an encoded slash or dot segment", () => {
    for (const uri of [
      "/archive/experiments/..%2F..%2Foutside",
      "/archive/experiments/a%2Fb",
      "/archive/projects/%2E%2E",
      "/experiments/E1/resources/R/files/x%2F..%2F..%2Fy",
    ]) {
      expect(parseXnatUri(uri), uri).toBeUndefined();
    }
  });
});

describe("URI builders", () => {
  it("build the forms XCS emits", () => {
    const session = experimentUri("E1");
    expect(projectUri("P1")).toBe("/archive/projects/P1");
    expect(subjectUri("P1", "S1")).toBe("/archive/projects/P1/subjects/S1");
    expect(session).toBe("/archive/experiments/E1");
    expect(experimentUri("E1", subjectUri("P1", "S1"))).toBe(
      "/archive/projects/P1/subjects/S1/experiments/E1",
    );
    expect(scanUri(session, "3")).toBe("/archive/experiments/E1/scans/3");
    expect(assessorUri(session, "A")).toBe("/archive/experiments/E1/assessors/A");
    const resource = resourceUri(scanUri(session, "3"), "NIFTI");
    expect(fileUri(resource, "sub/x.nii.gz")).toBe(
      "/archive/experiments/E1/scans/3/resources/NIFTI/files/sub/x.nii.gz",
    );
    expect(() => fileUri(resource, "../x")).toThrow(RangeError);
    expect(() => scanUri(session, "")).toThrow(RangeError);
  });

  it("add /archive as XCS does", () => {
    expect(withArchivePrefix("/experiments/E1")).toBe("/archive/experiments/E1");
    expect(withArchivePrefix("/archive/experiments/E1")).toBe("/archive/experiments/E1");
    expect(withArchivePrefix("/archiveX/a")).toBe("/archive/archiveX/a");
  });

  it("walk one level up", () => {
    const file = "/experiments/E1/scans/1/resources/NIFTI/files/a/b.nii";
    const chain: string[] = [];
    for (let uri: string | undefined = file; uri !== undefined; uri = parentXnatUri(uri)) {
      chain.push(uri);
    }
    expect(chain).toEqual([
      file,
      "/archive/experiments/E1/scans/1/resources/NIFTI",
      "/archive/experiments/E1/scans/1",
      "/archive/experiments/E1",
    ]);
    expect(parentXnatUri("/projects/P/subjects/S/experiments/E")).toBe(
      "/archive/projects/P/subjects/S",
    );
    expect(parentXnatUri("/projects/P/subjects/S")).toBe("/archive/projects/P");
    expect(parentXnatUri("/projects/P")).toBeUndefined();
    expect(parentXnatUri("not a uri")).toBeUndefined();
  });
});

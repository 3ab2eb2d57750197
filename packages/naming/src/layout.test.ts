import { describe, expect, it } from "vitest";
import { sessionLayout, sessionPath, subjectFolderName } from "./layout.js";

describe("study layout", () => {
  it("places a session where radifox-convert does", () => {
    expect(sessionPath("/data", { projectId: "Study", subjectId: "123456", sessionId: "1" })).toBe(
      "/data/study/STUDY-123456/1",
    );
    expect(
      sessionPath(
        "/data",
        { projectId: "P", siteId: "s2", subjectId: "x", sessionId: "b" },
        { noProjectSubdir: true },
      ),
    ).toBe("/data/P-S2-X/B");
    expect(subjectFolderName({ projectId: "proj", subjectId: "007" })).toBe("PROJ-007");
  });

  it("names the well-known files of a session", () => {
    const layout = sessionLayout("/data/study/STUDY-123456/1");
    expect(layout).toMatchObject({
      subjectName: "STUDY-123456",
      sessionName: "1",
      unconvertedInfo: "/data/study/STUDY-123456/1/STUDY-123456_1_UnconvertedInfo.json",
      manualNaming: "/data/study/STUDY-123456/1/STUDY-123456_1_ManualNaming.json",
      provenance: "/data/study/STUDY-123456/1/STUDY-123456_1_Provenance.yml",
      qaRecord: "/data/study/STUDY-123456/1/STUDY-123456_1_QA.yml",
    });
    expect(layout.folders.nii).toBe("/data/study/STUDY-123456/1/nii");
    expect(layout.qaDir("staging")).toBe("/data/study/STUDY-123456/1/qa/staging");
    expect(layout.logDir("n4")).toBe("/data/study/STUDY-123456/1/logs/n4");
  });

  it("keeps convert's and the QA app's names apart for --safe attempt folders", () => {
    const layout = sessionLayout("/data/study/STUDY-123456/1-2", { sessionId: "1" });
    expect(layout.manualNaming).toMatch(/STUDY-123456_1_ManualNaming\.json$/);
    expect(layout.manualNamingQaApp).toMatch(/STUDY-123456_1-2_ManualNaming\.json$/);
    expect(layout.provenance).toMatch(/STUDY-123456_1-2_Provenance\.yml$/);
  });
});

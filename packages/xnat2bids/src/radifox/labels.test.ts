import { describe, expect, it } from "vitest";
import { sessionLabel, subjectLabel } from "./labels.js";

describe("subjectLabel", () => {
  it("drops the project prefix, compared case-insensitively", () => {
    expect(subjectLabel("BENCH-0001", "bench")).toBe("0001");
    expect(subjectLabel("BENCH-0001", "BENCH")).toBe("0001");
    expect(subjectLabel("MY-PROJ-7", "my-proj")).toBe("7");
  });

  it("falls back to the first '-' part, keeping a site", () => {
    expect(subjectLabel("PROJ-SITE-123", "study")).toBe("SITE123");
    expect(subjectLabel("PROJ-SITE-123", "PROJ")).toBe("SITE123");
    expect(subjectLabel("BENCH-0001", "tmp-xyz")).toBe("0001");
  });

  it("keeps a folder without '-' whole and drops what BIDS labels cannot hold", () => {
    expect(subjectLabel("S01", "study")).toBe("S01");
    expect(subjectLabel("P-s_0.1é", "P")).toBe("s01");
    expect(subjectLabel("P-", "P")).toBe("");
  });
});

describe("sessionLabel", () => {
  it("keeps letters and digits only", () => {
    expect(sessionLabel("1")).toBe("1");
    expect(sessionLabel("1-2")).toBe("12");
    expect(sessionLabel("-")).toBe("");
  });
});

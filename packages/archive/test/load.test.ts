// XCS's JSON form of the objects and the include rule.
import { describe, expect, it } from "vitest";
import { includesType, serializeXnatObject, type XnatSession } from "../src/index.js";

describe("serializeXnatObject", () => {
  it("leaves out null and undefined at every depth, keeps empty lists, orders the keys", () => {
    const session = {
      scans: [
        {
          resources: [],
          uri: "/archive/experiments/E1/scans/1",
          frames: undefined,
          note: null,
          label: "1 - T1",
          id: "1",
          type: "Scan",
          "scan-type": "T1",
        },
      ],
      "project-id": "P1",
      directory: "/data/P1/arc001/s1",
      xsiType: "xnat:mrSessionData",
      label: "s1",
      "subject-id": undefined,
      id: "E1",
      type: "Session",
      assessors: [],
      resources: [],
    } as unknown as XnatSession;
    const out = serializeXnatObject(session);
    expect(JSON.stringify(out)).toBe(
      JSON.stringify({
        type: "Session",
        id: "E1",
        label: "s1",
        xsiType: "xnat:mrSessionData",
        directory: "/data/P1/arc001/s1",
        scans: [
          {
            type: "Scan",
            id: "1",
            label: "1 - T1",
            uri: "/archive/experiments/E1/scans/1",
            resources: [],
            "scan-type": "T1",
          },
        ],
        "project-id": "P1",
        assessors: [],
        resources: [],
      }),
    );
    expect(Object.keys(out.scans[0]!)).not.toContain("note");
    // The input is not changed.
    expect(Object.keys(session)[0]).toBe("scans");
  });

  it("keeps list elements, including strings of tags", () => {
    const file = { type: "File", name: "a", tags: ["x", ""], size: 0 } as const;
    expect(serializeXnatObject({ ...file, tags: [...file.tags] })).toEqual({
      type: "File",
      name: "a",
      tags: ["x", ""],
      size: 0,
    });
  });
});

describe("includesType", () => {
  it("loads every type without include, only the named ones with it", () => {
    expect(includesType(undefined, "File")).toBe(true);
    expect(includesType({}, "Scan")).toBe(true);
    expect(includesType({ include: new Set(["Scan"]) }, "Scan")).toBe(true);
    expect(includesType({ include: new Set(["Scan"]) }, "Resource")).toBe(false);
    expect(includesType({ include: new Set() }, "Subject")).toBe(false);
  });
});

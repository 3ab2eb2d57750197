import { describe, expect, it } from "vitest";
import { type RecordFields, renderRecord } from "./record.js";
import { parseRecords } from "./record-parse.js";

const FIELDS: RecordFields = {
  module: "m",
  version: "1.0",
  container: {
    url: "img:t@01234567",
    hash: "sha256:x",
    builder: "b",
    timestamp: "2024",
    source: "labels-file",
  },
  user: "u@h",
  startTime: "2024-05-01T13:04:05",
  duration: "0-00:00:01",
  projectRoot: "/p",
  inputs: { a: { path: "S/1/nii/a.nii.gz", sha256: "1".repeat(64) } },
  outputs: { b: [{ path: "S/1/proc/b.nii.gz", sha256: "2".repeat(64) }, null], c: null },
  parameters: [
    ["mapping", "{'a': 1, 'b': [2.5]}"],
    ["list", ["x", "y: z"]],
    ["empty", []],
  ],
  command: "--a x: y",
  status: "failed",
  exitCode: 3,
  error: 'it said "no": really',
  parents: { a: null },
  host: { name: "h", os: "linux 6", software: "@radifox/provenance" },
};

describe("parseRecords", () => {
  it("reads back every field of both formats", () => {
    for (const format of ["radifox", "extended"] as const) {
      const { records, problems } = parseRecords(renderRecord(FIELDS, format));
      expect(problems).toEqual([]);
      const [record] = records;
      expect(record?.idMatches).toBe(true);
      expect(record?.extended).toBe(format === "extended");
      const { id, idMatches, extended, text, source, ...fields } = record as NonNullable<
        typeof record
      >;
      if (format === "extended") expect(fields).toEqual(FIELDS);
      else
        expect(fields).toMatchObject({
          parameters: FIELDS.parameters,
          outputs: FIELDS.outputs,
          command: FIELDS.command,
        });
    }
  });

  it("skips and reports bad documents, keeping the good ones", () => {
    const good = renderRecord(FIELDS);
    const edited = good.replace("Duration: 0-00:00:01", "Duration: 0-00:00:02");
    const torn = good.slice(0, 200);
    const text = `${good}${torn}\n${edited}garbage line\n---\nId: nothex\n...\n${good}`;
    const { records, problems } = parseRecords(text, "S_1_Provenance.yml");
    expect(records.map((r) => r.idMatches)).toEqual([true, false, true]);
    expect(problems.map((p) => p.message)).toEqual([
      "incomplete record (no closing '...')",
      'text outside a record: "garbage line"',
      "record without a valid 'Id:' line",
    ]);
    expect(problems.every((p) => p.path === "S_1_Provenance.yml" && p.line > 0)).toBe(true);
  });
});

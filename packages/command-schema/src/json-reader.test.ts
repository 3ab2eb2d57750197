import { describe, expect, it } from "vitest";
import { JsonSyntaxError, MAX_NESTING, nodeAt, plainValue, readJson } from "./json-reader.js";

function syntaxError(text: string): JsonSyntaxError {
  try {
    readJson(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`accepted: ${text}`);
}

describe("readJson", () => {
  it("reads what JSON.parse reads, to the same values", () => {
    const samples = [
      '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}',
      "[]",
      '"text"',
      "0",
      '{"nested": [[[{"deep": [1]}]]]}',
    ];
    for (const text of samples) expect(plainValue(readJson(text).root)).toEqual(JSON.parse(text));
  });

  it("accepts single quotes and # comments, as XNAT's reader is set up to", () => {
    const text = "# a command\n{'name': 'it\\'s', # the name\n \"x\": 1}";
    expect(plainValue(readJson(text).root)).toEqual({ name: "it's", x: 1 });
  });

  it("keeps number tokens as written and where every value starts", () => {
    const { root } = readJson('{\n  "a": 1.50,\n  "b": [1e3]\n}');
    const a = nodeAt(root, "/a");
    expect(a).toMatchObject({ kind: "number", text: "1.50", integer: false });
    expect(a?.start).toEqual({ offset: 9, line: 2, column: 8 });
    expect(nodeAt(root, "/b/0")).toMatchObject({ text: "1e3", start: { line: 3, column: 9 } });
    expect(nodeAt(root, "/missing")).toBeUndefined();
  });

  it("lets the last of repeated keys count", () => {
    const { root } = readJson('{"a": 1, "a": 2}');
    expect(plainValue(root)).toEqual({ a: 2 });
    expect(nodeAt(root, "/a")).toMatchObject({ text: "2" });
  });

  it("reports content after the document instead of refusing it (Jackson ignores it)", () => {
    expect(readJson('{"a": 1} trailing').trailing).toMatchObject({ line: 1, column: 10 });
    expect(readJson('{"a": 1}\n  # note\n').trailing).toBeUndefined();
  });

  it("refuses what Jackson refuses, with line and column", () => {
    const cases: [string, RegExp, number, number][] = [
      ['{"a": 1,\n}', /trailing comma/, 2, 1],
      ["[1, 2,]", /trailing comma/, 1, 7],
      ['{"a": 01}', /leading zeros/, 1, 8],
      ['{"a": NaN}', /expected a value/, 1, 7],
      ['{"a": "x\ty"}', /control character/, 1, 9],
      ['{"a": "\\q"}', /unrecognized escape/, 1, 8],
      ['{"a" 1}', /expected ':'/, 1, 6],
      ["{a: 1}", /property name in quotes/, 1, 2],
      ['{"a": "open', /unterminated string/, 1, 7],
      ["", /empty/, 1, 1],
      ['{\n  "a": [1 2]\n}', /expected ',' or ']'/, 2, 11],
      ["// comment\n{}", /expected a value/, 1, 1],
    ];
    for (const [text, message, line, column] of cases) {
      const error = syntaxError(text);
      expect(error.message, text).toMatch(message);
      expect([error.position.line, error.position.column], text).toEqual([line, column]);
    }
  });

  it("refuses nesting deeper than Jackson's limit without overflowing the stack", () => {
    const ok = `${"[".repeat(MAX_NESTING)}${"]".repeat(MAX_NESTING)}`;
    expect(() => readJson(ok)).not.toThrow();
    const deep = "[".repeat(200_000);
    expect(syntaxError(deep).message).toMatch(/nesting deeper than 1000/);
  });
});

// Runners for shellsplit.json (ShellSplitter) and cmdline-format.json (the two command-line
// formatters of XCS).
import { describe, expect, it } from "vitest";
import {
  type FormattedInput,
  formatMultipleValues,
  formatSingleValue,
  shellSplit,
} from "../src/index.js";
import { loadVectors } from "./support.js";

const split = loadVectors<{ cases: { id: string; input: string; expected: string[] }[] }>(
  "shellsplit.json",
);

describe.skipIf(!split)("shellsplit.json", () => {
  for (const testCase of split?.cases ?? []) {
    it(testCase.id, () => {
      expect(shellSplit(testCase.input)).toEqual(testCase.expected);
    });
  }
});

interface FormatCase {
  id: string;
  kind: "single" | "multiple";
  input: Record<string, string>;
  value?: string | null;
  values?: string[];
  expected: Record<string, string | null>;
}

const format = loadVectors<{ cases: FormatCase[] }>("cmdline-format.json");

/** A command input definition (command JSON keys, absent = null) as the formatter takes it. */
function inputOf(json: Record<string, string>): FormattedInput {
  return {
    type: json.type ?? "string",
    commandLineFlag: json["command-line-flag"] ?? null,
    commandLineSeparator: json["command-line-separator"] ?? null,
    trueValue: json["true-value"] ?? null,
    falseValue: json["false-value"] ?? null,
    multipleDelimiter: json["multiple-delimiter"] ?? null,
  };
}

describe.skipIf(!format)("cmdline-format.json", () => {
  for (const testCase of format?.cases ?? []) {
    it(testCase.id, () => {
      const input = inputOf(testCase.input);
      const actual =
        testCase.kind === "single"
          ? formatSingleValue(input, testCase.value ?? null)
          : formatMultipleValues(input, testCase.values ?? []);
      // Only the keys the case states are compared.
      const compared = Object.fromEntries(
        Object.keys(testCase.expected).map((key) => [
          key,
          (actual as unknown as Record<string, unknown>)[key],
        ]),
      );
      expect(compared).toEqual(testCase.expected);
    });
  }
});

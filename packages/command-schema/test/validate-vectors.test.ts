// Runner for validate.json: every case is read in the two ways XNAT reads commands (`pojo` =
// the model / update API, `rest` = REST create) and its XNAT-exact messages, reader outcome and
// normalised model are compared with what the original produced.
import { describe, expect, it } from "vitest";
import { type Command, parseCommand, type ReadMode, xcsValidate } from "../src/index.js";
import { conformanceText, loadVectors } from "./support.js";

type Outcome =
  | { outcome: "messages"; messages: string[]; normalized?: Record<string, unknown> }
  | { outcome: "parseError" | "constructionError"; detail?: string }
  | { outcome: "crash"; fixedOutcome: "invalid" };

interface Case {
  id: string;
  command?: unknown;
  commandText?: string;
  orderInsensitiveLists: boolean;
  expected: { pojo: Outcome; rest: Outcome };
}

const vectors = loadVectors<{ cases: Case[] }>("validate.json");

function textOf(testCase: Case): string {
  if (testCase.commandText !== undefined) return testCase.commandText;
  const command = testCase.command as { $ref?: string } | undefined;
  if (command && typeof command === "object" && typeof command.$ref === "string") {
    return conformanceText(command.$ref);
  }
  return JSON.stringify(testCase.command);
}

/** Sorts the hash-ordered name lists inside messages (see the vectors' README). */
function normaliseLists(message: string): string {
  return message.replace(
    /(Known (?:inputs|outputs|mounts|outputs \(so far\)|types): )(.*?)(?=\.\n|\.?$)/gs,
    (_, head: string, list: string) => head + list.split(", ").sort().join(", "),
  );
}

/** The model's values at the keys of `expected` (command JSON names), recursively. */
function project(expected: unknown, actual: unknown): unknown {
  if (Array.isArray(expected)) {
    const list = Array.isArray(actual) ? actual : [];
    return list.map((item, index) => project(expected[index] ?? expected[0], item));
  }
  if (expected && typeof expected === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(expected)) {
      out[key] = project(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[camel(key)],
      );
    }
    return out;
  }
  return actual;
}

const camel = (key: string) =>
  key === "xnat" ? key : key.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

const MODES: [keyof Case["expected"], ReadMode][] = [
  ["pojo", "model"],
  ["rest", "rest"],
];

describe.skipIf(!vectors)("validate.json", () => {
  for (const testCase of vectors?.cases ?? []) {
    for (const [path, mode] of MODES) {
      const expected = testCase.expected[path];
      it(`${testCase.id} (${path})`, () => {
        const read = parseCommand(textOf(testCase), { mode });
        switch (expected.outcome) {
          case "parseError":
            expect(read.ok ? "accepted" : read.error.kind).toMatch(/^(syntax|shape)$/);
            break;
          case "constructionError":
            expect(read.ok ? "accepted" : read.error.kind).toBe("construction");
            break;
          case "crash": {
            // XNAT fails with an internal error; we report it as a finding instead.
            expect(read.ok).toBe(true);
            const codes = read.ok ? xcsValidate(read.command).map((f) => f.code) : [];
            expect(codes.some((code) => code.startsWith("xcs-crash-"))).toBe(true);
            break;
          }
          case "messages": {
            if (!read.ok) throw read.error;
            let messages = xcsValidate(read.command).map((finding) => finding.message);
            let want = expected.messages;
            if (testCase.orderInsensitiveLists) {
              messages = messages.map(normaliseLists).sort();
              want = want.map(normaliseLists).sort();
            }
            expect(messages).toEqual(want);
            if (expected.normalized) {
              expect(project(expected.normalized, read.command as Command)).toEqual(
                expected.normalized,
              );
            }
          }
        }
      });
    }
  }
});

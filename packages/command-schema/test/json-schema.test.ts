// The JSON Schema, checked with an independent validator (Ajv): it accepts every command XNAT's
// reader accepts and rejects every document XNAT refuses for its shape, over the conformance
// vectors and every command file of the shared fixtures.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import AjvModule from "ajv";
import { describe, expect, it } from "vitest";
import { commandJsonSchema, parseCommand } from "../src/index.js";
import { CONFORMANCE, conformanceText, loadVectors, requireSystem } from "./support.js";

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(commandJsonSchema());

interface Case {
  id: string;
  command?: unknown;
  commandText?: string;
  expected: { rest: { outcome: string }; pojo: { outcome: string } };
}

/** The document as strict JSON, or undefined (single quotes, comments, trailing commas...). */
function strictJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const vectors = loadVectors<{ cases: Case[] }>("validate.json");

describe.skipIf(!vectors)("the JSON Schema against validate.json", () => {
  for (const testCase of vectors?.cases ?? []) {
    const ref = (testCase.command as { $ref?: string } | undefined)?.$ref;
    const text =
      testCase.commandText ?? (ref ? conformanceText(ref) : JSON.stringify(testCase.command));
    const value = strictJson(text);
    if (value === undefined) continue;
    const outcome = testCase.expected.rest.outcome;
    it(`${testCase.id}: ${outcome}`, () => {
      const accepted = outcome === "messages" || outcome === "crash";
      expect(validate(value), JSON.stringify(validate.errors)).toBe(accepted);
    });
  }
});

const fixtures = join(CONFORMANCE, "fixtures");
const haveFixtures = requireSystem(`fixtures ${fixtures}`, existsSync(fixtures));

describe.skipIf(!haveFixtures)("the JSON Schema against every fixture command", () => {
  const files = haveFixtures
    ? ["container-service", "docker-images"].flatMap((dir) =>
        readdirSync(join(fixtures, dir)).map((name) => join(fixtures, dir, name)),
      )
    : [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    const value = strictJson(text);
    // Commands only: XNAT object fixtures (with an object "type") and lists are not commands.
    const objectType = (value as { type?: unknown } | undefined)?.type;
    if (value === undefined || Array.isArray(value) || /^[A-Z]/.test(String(objectType))) continue;
    it(`agrees with the reader on ${file.slice(fixtures.length + 1)}`, () => {
      const read = parseCommand(text, { mode: "rest" });
      expect(validate(value), JSON.stringify(validate.errors)).toBe(read.ok);
    });
  }
});

describe("the JSON Schema", () => {
  it("takes XNAT's coercions and refuses what XNAT's reader refuses", () => {
    const base = { name: "t", image: "busybox:1" };
    const accepted = [
      { ...base, "override-entrypoint": "TRUE", "reserve-memory": "1024", "limit-cpu": "0.5" },
      { ...base, inputs: [{ name: "i", required: 1, "default-value": 1.5 }] },
      { ...base, mounts: [{ name: "m", writable: "False", path: "/m", unknown: {} }] },
      { ...base, $schema: "./command.schema.json" },
    ];
    const refused = [
      { ...base, inputs: [{ name: "i", required: "yes" }] },
      { ...base, inputs: [{ required: true }] },
      { ...base, "reserve-memory": "1.5e3" },
      { ...base, xnat: [{ name: "w", contexts: "xnat:imageSessionData" }] },
      {
        ...base,
        secrets: [{ source: { type: "vault" }, destination: { type: "environment-variable" } }],
      },
      { ...base, "environment-variables": { A: null } },
      [base],
    ];
    for (const value of accepted) expect(validate(value), JSON.stringify(value)).toBe(true);
    for (const value of refused) expect(validate(value), JSON.stringify(value)).toBe(false);
    // The reader agrees on each.
    for (const value of [...accepted, ...refused]) {
      expect(parseCommand(JSON.stringify(value)).ok).toBe(validate(value));
    }
  });
});

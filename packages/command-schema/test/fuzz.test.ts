// Mutated real commands (text edits and type swaps on the shared fixtures), huge files and
// deep nesting: reading and validating give a read error or findings, never an exception.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkCommand, READ_MODES } from "../src/index.js";
import { CONFORMANCE, random, requireSystem } from "./support.js";

const fixtures = join(CONFORMANCE, "fixtures");
const present = requireSystem(`fixtures ${fixtures}`, existsSync(fixtures));
const sources = present
  ? ["container-service", "docker-images"].flatMap((dir) =>
      readdirSync(join(fixtures, dir)).map((name) =>
        readFileSync(join(fixtures, dir, name), "utf8"),
      ),
    )
  : [];

/** Checks one document in every mode; fails the test on an exception or a malformed finding. */
function survive(text: string): void {
  for (const mode of READ_MODES) {
    const result = checkCommand(text, { mode, lint: true });
    if (!result.ok) {
      expect(result.error.code).toBe("E_COMMAND_READ");
      continue;
    }
    for (const finding of result.findings) {
      expect(typeof finding.message).toBe("string");
      expect(finding.pointer === "" || finding.pointer.startsWith("/")).toBe(true);
      result.read.locate(finding.pointer);
    }
  }
}

const TOKENS = [
  '"',
  "'",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  "#",
  "\\",
  " ",
  "0",
  "-1.5e3",
  "null",
  "true",
  "\n",
];
const VALUES: unknown[] = [
  null,
  0,
  -1.5,
  "",
  "yes",
  "TRUE",
  [],
  {},
  [null],
  { a: null },
  [[[]]],
  "x".repeat(300),
];

function mutateText(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  const span = 1 + Math.floor(next() * 20);
  switch (Math.floor(next() * 4)) {
    case 0:
      return text.slice(0, at) + text.slice(at + span);
    case 1:
      return text.slice(0, at) + TOKENS[Math.floor(next() * TOKENS.length)] + text.slice(at);
    case 2:
      return text.slice(0, at) + text.slice(at, at + span).repeat(2) + text.slice(at + span);
    default:
      return text.slice(0, at);
  }
}

/** Replaces one random value in the document with a value of another type. */
function mutateValue(value: unknown, next: () => number): unknown {
  const containers: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => {
        containers.push([node, index]);
        walk(item);
      });
    } else if (node && typeof node === "object") {
      for (const [key, item] of Object.entries(node)) {
        containers.push([node as Record<string, unknown>, key]);
        walk(item);
      }
    }
  };
  walk(value);
  const pick = containers[Math.floor(next() * containers.length)];
  if (pick) {
    const [container, key] = pick;
    (container as Record<string | number, unknown>)[key] = structuredClone(
      VALUES[Math.floor(next() * VALUES.length)],
    );
  }
  return value;
}

describe.skipIf(!present)("mutated fixture commands", () => {
  it("never throw when read and validated (text edits)", () => {
    const next = random(2024);
    for (let round = 0; round < 1500; round++) {
      const source = sources[round % sources.length] as string;
      let text = source;
      for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--)
        text = mutateText(text, next);
      survive(text);
    }
  });

  it("never throw when read and validated (values of the wrong type)", () => {
    const next = random(7);
    const parsed = sources.flatMap((source) => {
      try {
        return [JSON.parse(source) as unknown];
      } catch {
        return [];
      }
    });
    for (let round = 0; round < 1500; round++) {
      let value = structuredClone(parsed[round % parsed.length]);
      for (let edits = 1 + Math.floor(next() * 3); edits > 0; edits--)
        value = mutateValue(value, next);
      survive(JSON.stringify(value));
    }
  });
});

describe("hostile documents", () => {
  it("handles a huge command quickly", () => {
    const inputs = Array.from({ length: 20_000 }, (_, i) => ({
      name: `in${i % 19_000}`,
      type: "select-one",
    }));
    const text = JSON.stringify({
      name: "big",
      image: "x:1",
      inputs,
      "command-line": "#in1#".repeat(5000),
    });
    const start = performance.now();
    const result = checkCommand(text, { lint: true });
    expect(result.ok).toBe(true);
    expect(result.findings.filter((f) => f.code === "xcs-input-not-unique")).toHaveLength(1000);
    expect(performance.now() - start).toBeLessThan(10_000);
  });

  it("refuses deep nesting with a syntax error, not a stack overflow", () => {
    const deep = `{"name": "t", "command-metadata": ${"[".repeat(100_000)}`;
    const result = checkCommand(deep);
    expect(result.ok ? "accepted" : result.error.kind).toBe("syntax");
    const fine = `{"name": "t", "image": "x:1", "command-metadata": ${"[".repeat(900)}${"]".repeat(900)}}`;
    expect(checkCommand(fine).accepted).toBe(true);
  });

  it("reads garbage as a syntax error", () => {
    for (const text of ["", "\u0000", "}{", "nul", '{"a"', "\ufeff", "[".repeat(3)]) {
      const result = checkCommand(text);
      expect(result.ok ? "accepted" : result.error.kind, JSON.stringify(text)).toBe("syntax");
    }
    // A byte order mark before the document is dropped, as Jackson does.
    expect(checkCommand('\ufeff{"name": "t", "image": "x:1"}').accepted).toBe(true);
  });
});

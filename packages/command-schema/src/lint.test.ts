import { describe, expect, it } from "vitest";
import { lintCommand } from "./lint.js";
import { readCommand } from "./read-command.js";
import { validateCommand } from "./validate.js";
import { xcsValidate } from "./xcs-validate.js";

/** A command XNAT accepts and the lint passes: each example below changes one thing. */
const CLEAN = {
  name: "tool",
  image: "repo/tool:1.0@sha256:0123456789abcdef",
  "command-line": "run #in# #flag#",
  "override-entrypoint": false,
  mounts: [
    { name: "in", path: "/input" },
    { name: "out", path: "/output", writable: true },
  ],
  inputs: [{ name: "in" }, { name: "flag", type: "boolean", "true-value": "--on" }],
  outputs: [{ name: "result", mount: "out" }],
  xnat: [
    {
      name: "on-session",
      contexts: ["xnat:imageSessionData"],
      "external-inputs": [
        { name: "session", type: "Session", "provides-files-for-command-mount": "in" },
      ],
      "derived-inputs": [
        {
          name: "label",
          type: "string",
          "derived-from-wrapper-input": "session",
          "derived-from-xnat-object-property": "label",
          "provides-value-for-command-input": "in",
        },
        {
          name: "t1",
          type: "Scan",
          "derived-from-wrapper-input": "session",
          matcher: "@.scan-type in ['T1', 'MPRAGE']",
        },
      ],
      "output-handlers": [
        {
          name: "upload",
          "accepts-command-output": "result",
          "as-a-child-of": "session",
          label: "OUT",
        },
      ],
    },
  ],
};

// biome-ignore lint/suspicious/noExplicitAny: the examples edit arbitrary JSON documents
type Json = Record<string, any>;
const wrapper = (command: Json) => command.xnat[0] as Json;

/** One example per lint finding: the change to CLEAN that causes it. */
const LINT_EXAMPLES: [string, (command: Json) => void][] = [
  ["lint-image-digest", (c) => (c.image = "repo/tool:1.0")],
  ["lint-env-reserved", (c) => (c["environment-variables"] = { XNAT_HOST: "x" })],
  ["lint-mount-path-relative", (c) => (c.mounts[0].path = "input")],
  ["lint-mount-path-duplicate", (c) => (c.mounts[1].path = "/input/")],
  ["lint-mount-path-nested", (c) => (c.mounts[1].path = "/input/out")],
  ["lint-shell-syntax", (c) => (c["command-line"] = "run #in# > /output/log.txt")],
  ["lint-template-unknown-key", (c) => (c["command-line"] = "run #inn#")],
  ["lint-wrapper-key-in-command-line", (c) => (c["command-line"] = "run #session#")],
  ["lint-command-input-matcher", (c) => (c.inputs[0].matcher = "@.x == 'y'")],
  ["lint-no-contexts", (c) => (wrapper(c).contexts = [])],
  ["lint-context-input-type", (c) => (wrapper(c).contexts = ["xnat:mrScanData"])],
  [
    "lint-dangling-command-input",
    (c) => (wrapper(c)["derived-inputs"][0]["provides-value-for-command-input"] = "input"),
  ],
  [
    "lint-dangling-mount",
    (c) => (wrapper(c)["external-inputs"][0]["provides-files-for-command-mount"] = "dicom"),
  ],
  [
    "lint-special-reference",
    (c) => (wrapper(c)["output-handlers"][0]["via-wrapup-command"] = "registry:5000/wrap:1"),
  ],
  ["lint-matcher-syntax", (c) => (wrapper(c)["derived-inputs"][1].matcher = "@.scan-type = 'T1'")],
  ["lint-matcher-on-value", (c) => (wrapper(c)["derived-inputs"][0].matcher = "@.label == 'x'")],
  ["lint-derived-parent-type", (c) => (wrapper(c)["derived-inputs"][1].type = "SubjectAssessor")],
  ["lint-derived-never-resolves", (c) => (wrapper(c)["derived-inputs"][0].type = "number")],
  [
    "lint-provides-twice",
    (c) => (wrapper(c)["derived-inputs"][1]["provides-value-for-command-input"] = "in"),
  ],
];

const lintCodes = (command: unknown) =>
  lintCommand(readCommand(JSON.stringify(command)).command).map((finding) => finding.code);

describe("lintCommand", () => {
  it("passes the clean command, which XNAT also accepts", () => {
    const { command } = readCommand(JSON.stringify(CLEAN));
    expect(xcsValidate(command)).toEqual([]);
    expect(lintCommand(command)).toEqual([]);
  });

  for (const [code, change] of LINT_EXAMPLES) {
    it(`finds ${code}`, () => {
      const command = structuredClone(CLEAN) as Json;
      change(command);
      expect(lintCodes(command)).toEqual([code]);
    });
  }

  it("leaves shell syntax alone where a shell runs it, or inside quotes", () => {
    for (const line of [
      '/bin/sh -c "run #in# > /output/log"',
      "bash -ec 'a && b'",
      'run "a|b" #in#',
    ]) {
      expect(lintCodes({ ...CLEAN, "command-line": line })).toEqual([]);
    }
  });

  it("skips blank matchers and the parent's keys in setup commands", () => {
    const command = structuredClone(CLEAN) as Json;
    wrapper(command)["derived-inputs"][1].matcher = "  ";
    expect(lintCodes(command)).toEqual([]);
    const setup = {
      name: "s",
      image: "x/s:1@sha256:00",
      type: "docker-setup",
      "command-line": "copy #session#",
    };
    expect(lintCodes(setup)).toEqual([]);
  });

  it("stays linear on many mounts", () => {
    const mounts = Array.from({ length: 5000 }, (_, i) => ({ name: `m${i}`, path: "/same" }));
    const start = performance.now();
    const codes = lintCodes({ ...CLEAN, mounts, "command-line": "run" });
    expect(codes.filter((code) => code === "lint-mount-path-duplicate")).toHaveLength(4999);
    expect(performance.now() - start).toBeLessThan(2000);
  });

  it("gives every finding a severity, a pointer into the document and a hint", () => {
    for (const [, change] of LINT_EXAMPLES) {
      const command = structuredClone(CLEAN) as Json;
      change(command);
      const read = readCommand(JSON.stringify(command, null, 2));
      for (const finding of lintCommand(read.command)) {
        expect(finding.source).toBe("lint");
        expect(["error", "warning", "info"]).toContain(finding.severity);
        expect(finding.hint.length).toBeGreaterThan(10);
        expect(read.locate(finding.pointer), finding.pointer).toBeDefined();
        expect(finding.pointer).toMatch(/^\/[a-z]/);
      }
    }
  });

  it("never changes XNAT's own list of messages", () => {
    for (const [, change] of LINT_EXAMPLES) {
      const command = structuredClone(CLEAN) as Json;
      change(command);
      const read = readCommand(JSON.stringify(command));
      const xcs = validateCommand(read.command);
      const all = validateCommand(read.command, { lint: true });
      expect(all.filter((finding) => finding.source === "xcs")).toEqual(xcs);
    }
  });
});

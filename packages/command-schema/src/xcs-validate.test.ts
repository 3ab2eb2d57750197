// Edge cases of XNAT's validation beyond the conformance vectors (spec section 2).
import { describe, expect, it } from "vitest";
import { parseCommand, readCommand } from "./read-command.js";
import { xcsValidate } from "./xcs-validate.js";

const messages = (command: unknown, mode: "rest" | "model" = "model") =>
  xcsValidate(readCommand(JSON.stringify(command), { mode }).command).map((f) => f.message);

const base = { name: "t", image: "busybox:1" };
const withOutput = {
  ...base,
  mounts: [{ name: "out", path: "/output", writable: true }],
  outputs: [{ name: "o", mount: "out" }],
};

describe("xcsValidate", () => {
  it("reports a handler's parent that takes several values and is not a uri, both", () => {
    const command = {
      ...withOutput,
      xnat: [
        {
          name: "w",
          "external-inputs": [{ name: "session", type: "Session" }],
          "derived-inputs": [
            {
              name: "scans",
              type: "Scan",
              "derived-from-wrapper-input": "session",
              multiple: true,
              "derived-from-xnat-object-property": "id",
              "provides-value-for-command-input": "ids",
            },
          ],
          "output-handlers": [
            { name: "h", "accepts-command-output": "o", "as-a-child-of": "scans", label: "L" },
          ],
        },
      ],
      inputs: [{ name: "ids" }],
    };
    expect(messages(command)).toEqual([
      'Command "t" - wrapper "w" - output handler "h" has "as-a-child-of": "scans", but that input is set to allow multiple values.',
      'Command "t" - wrapper "w" - output handler "h" has "as-a-child-of": "scans", but that input\'s value is set to "id", which will cause the upload to fail (a "uri" is required for upload).',
    ]);
  });

  it("keeps the first of two wrapper inputs with one name", () => {
    const command = {
      ...withOutput,
      xnat: [
        {
          name: "w",
          "external-inputs": [{ name: "s", type: "Session" }],
          "derived-inputs": [
            {
              name: "s",
              type: "string",
              "derived-from-wrapper-input": "s",
              "derived-from-xnat-object-property": "label",
            },
          ],
          "output-handlers": [
            { name: "h", "accepts-command-output": "o", "as-a-child-of": "s", label: "L" },
          ],
        },
      ],
    };
    // The handler uploads into the external input "s" (the first): no "uri" message.
    expect(messages(command)).toEqual([
      'Command "t" - wrapper "w" - derived input name "s" is not unique.',
      'Command "t" - wrapper "w" - derived input "s" is derived from itself.',
    ]);
  });

  it("survives secrets without source or destination, and names that are object methods", () => {
    const command = {
      ...base,
      "environment-variables": { A: "1" },
      secrets: [
        { source: { type: "system-property", identifier: "p" }, destination: null },
        {
          source: { type: "system-property", identifier: "p" },
          destination: { type: "environment-variable", identifier: "toString" },
        },
      ],
    };
    // XNAT's validation fails on the secret without a destination (an internal error).
    expect(xcsValidate(readCommand(JSON.stringify(command)).command).map((f) => f.code)).toEqual([
      "xcs-crash-secret",
    ]);
    expect(parseCommand(JSON.stringify({ ...base, secrets: [{}] })).ok).toBe(true);
  });

  it("keeps keys like __proto__ as plain keys", () => {
    const setup = { ...base, type: "docker-setup", "environment-variables": { __proto__: "x" } };
    const text = JSON.stringify(setup).replace(
      '"environment-variables":{}',
      '"environment-variables":{"__proto__":"x"}',
    );
    expect(xcsValidate(readCommand(text).command).map((f) => f.code)).toEqual([
      "xcs-special-declares",
    ]);
  });

  it("gives a whitespace image the tag latest through REST create, as XNAT does", () => {
    expect(readCommand(JSON.stringify({ ...base, image: "  " })).command.image).toBe("  :latest");
    expect(messages({ ...base, image: "  " }, "rest")).toEqual([]);
    expect(messages({ ...base, image: "  " }, "model")).toEqual([
      'Command "t" - image name cannot be blank.',
      'Command "t" - image name must include version tag. e.g. image_name:tag',
    ]);
  });

  it("reads select-many defaults as plain JSON only", () => {
    const input = {
      name: "s",
      type: "select-many",
      "select-values": ["a", "b"],
      "default-value": "['a','x']",
    };
    expect(messages({ ...base, inputs: [input] })).toEqual([
      `Command "t" - Command input "s" default value "['a','x']" is not one of the select-values "[a, b]"`,
    ]);
  });

  it("refuses numbers that do not fit Java's long, and reads ids only where XNAT does", () => {
    expect(parseCommand(JSON.stringify({ ...base, "reserve-memory": 1e20 })).ok).toBe(false);
    expect(parseCommand('{"reserve-memory": "99999999999999999999"}').ok).toBe(false);
    expect(parseCommand('{"id": "abc"}', { mode: "rest" }).ok).toBe(true);
    expect(parseCommand('{"id": "abc"}', { mode: "model" }).ok).toBe(false);
    expect(parseCommand('{"mounts": [{"id": "abc"}]}', { mode: "rest" }).ok).toBe(false);
  });

  it("stays fast on thousands of handlers", () => {
    const handlers = Array.from({ length: 10_000 }, (_, i) => ({
      name: `h${i}`,
      "accepts-command-output": "o",
      "as-a-child-of": "session",
      label: "L",
    }));
    const command = {
      ...withOutput,
      xnat: [
        {
          name: "w",
          "external-inputs": [{ name: "session", type: "Session" }],
          "output-handlers": handlers,
        },
      ],
    };
    const start = performance.now();
    expect(messages(command)).toEqual([]);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

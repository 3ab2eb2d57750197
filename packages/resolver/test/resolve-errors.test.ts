// Why a resolution stops: typed errors (ResolutionError with XCS's exception name, and the input
// concerned), with the messages users know from XNAT (spec 3.2-3.5, 3.11, 1.9).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Command, readCommand } from "@xcs/command-schema";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CommandRegistry,
  commandRegistry,
  JsonPathError,
  ResolutionError,
  type ResolveOptions,
  resolveCommand,
} from "../src/index.js";

const temporary: string[] = [];
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

function commandOf(json: Json, mode: "model" | "rest" = "model"): Command {
  return readCommand(
    JSON.stringify({ name: "err-test", type: "docker", image: "busybox:1", ...json }),
    { mode },
  ).command;
}

function wrapper(name: string, external: Json[], derived: Json[] = []): Json {
  return { name, "external-inputs": external, "derived-inputs": derived, "output-handlers": [] };
}

function resolve(
  command: Command,
  inputs: Record<string, string>,
  extra: Partial<ResolveOptions> & { checkArchivePaths?: boolean } = {},
) {
  return resolveCommand(command, {
    wrapper: "w",
    inputs,
    settings: { buildPath: "/nonexistent/build" },
    materialize: false,
    ...extra,
  });
}

function failure(run: () => unknown): ResolutionError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ResolutionError);
    return error as ResolutionError;
  }
  throw new Error("expected resolution to fail");
}

const sessionJson = (scanTypes: string[]) =>
  JSON.stringify({
    type: "Session",
    id: "E1",
    label: "sess1",
    uri: "/experiments/E1",
    directory: "/data/E1",
    scans: scanTypes.map((scanType, index) => ({
      type: "Scan",
      id: `${index + 1}`,
      label: `${index + 1} - ${scanType}`,
      "scan-type": scanType,
      uri: `/experiments/E1/scans/${index + 1}`,
      resources: [],
    })),
    assessors: [],
    resources: [],
  });

const resourceJson = (directory: string) =>
  JSON.stringify({
    type: "Resource",
    id: "DICOM",
    label: "DICOM",
    uri: "/experiments/E1/resources/DICOM",
    directory,
    files: [],
  });

describe("the wrapper", () => {
  it("names the known wrappers when the requested one does not exist", () => {
    const command = commandOf({
      name: "two-wrappers",
      xnat: [wrapper("first", []), wrapper("second", [])],
    });
    const error = failure(() => resolve(command, {}, { wrapper: "third" }));
    expect(error.javaName).toBe("CommandResolutionException");
    expect(error.message).toBe(
      'Command "two-wrappers" has no wrapper "third". Known wrappers: first, second.',
    );
  });

  it("says none when the command has no wrapper at all", () => {
    const error = failure(() => resolve(commandOf({ name: "bare" }), {}));
    expect(error.message).toBe('Command "bare" has no wrapper "w". Known wrappers: none.');
  });
});

describe("setup commands and the registry", () => {
  const setupCommand = (name: string, type = "docker-setup", image = "xnat/setup:1.0") =>
    commandOf({ name, type, image, "command-line": "cp -r /input/. /output" }, "rest");

  const withSetup = (reference: string) =>
    commandOf({
      mounts: [{ name: "in", writable: false, path: "/input" }],
      xnat: [
        wrapper("w", [
          {
            name: "resource",
            type: "Resource",
            "provides-files-for-command-mount": "in",
            "via-setup-command": reference,
          },
        ]),
      ],
    });

  const run = (reference: string, registry?: CommandRegistry) =>
    resolve(withSetup(reference), { resource: resourceJson("/data/E1/DICOM") }, { registry });

  it("fails when the setup command is not in the registry (or there is none)", () => {
    for (const registry of [undefined, commandRegistry([])]) {
      const error = failure(() => run("xnat/setup:1.0:setup", registry));
      expect(error.message).toBe("Could not find a command for image xnat/setup:1.0:setup.");
    }
  });

  it("finds a setup command by image and name and mounts the resource as its /input", () => {
    const registry = commandRegistry([{ command: setupCommand("setup") }]);
    const resolved = run("xnat/setup:1.0:setup", registry);
    expect(resolved.setupCommands.map((command) => command.commandName)).toEqual(["setup"]);
    const [input, output] = resolved.setupCommands[0]?.mounts ?? [];
    expect(input?.xnatHostPath).toBe("/data/E1/DICOM");
    expect(output?.xnatHostPath).toBe(resolved.mounts[0]?.xnatHostPath);
    expect(resolved.mounts[0]?.viaSetupCommand).toBe("xnat/setup:1.0:setup");
  });

  it("refuses a registered command of the wrong type", () => {
    const registry = commandRegistry([{ command: setupCommand("plain", "docker") }]);
    const error = failure(() => run("xnat/setup:1.0:plain", registry));
    expect(error.message).toBe(
      "Command plain from image xnat/setup:1.0:plain has type docker, but I expected it to have type docker-setup.",
    );
  });

  it("commandRegistry looks commands up by image, with and without a command name", () => {
    const a = setupCommand("setup-a");
    const other = setupCommand("other", "docker-setup", "xnat/other:2");
    const registry = commandRegistry([{ command: a }, { command: other }]);
    expect(registry.byReference("xnat/setup:1.0:setup-a")).toBe(a);
    expect(registry.byReference("xnat/setup:1.0")).toBe(a);
    expect(registry.byReference("xnat/other:2")).toBe(other);
    expect(registry.byReference("xnat/setup:1.0:nope")).toBeUndefined();
    expect(registry.byReference("xnat/missing:1")).toBeUndefined();
  });

  it("commandRegistry uses the pulled image name when given instead of the command's image", () => {
    const labelled = setupCommand("from-label", "docker-setup", "declared/name:9");
    const registry = commandRegistry([{ command: labelled, image: "pulled/name:1.2" }]);
    expect(registry.byReference("pulled/name:1.2")).toBe(labelled);
    expect(registry.byReference("declared/name:9")).toBeUndefined();
  });

  it("commandRegistry refuses to guess between two commands of one image without a name", () => {
    const a = setupCommand("setup-a");
    const b = setupCommand("setup-b");
    const registry = commandRegistry([{ command: a }, { command: b }]);
    expect(registry.byReference("xnat/setup:1.0:setup-b")).toBe(b);
    const error = failure(() => registry.byReference("xnat/setup:1.0"));
    expect(error.message).toBe("Found multiple commands for image xnat/setup:1.0.");
    // The same error stops a resolution whose setup reference has no name.
    const during = failure(() => run("xnat/setup:1.0", registry));
    expect(during.message).toBe("Found multiple commands for image xnat/setup:1.0.");
  });

  it("commandRegistry splits references as XCS does: a registry port breaks the lookup", () => {
    const ported = setupCommand("setup", "docker-setup", "localhost:5000/setup:1");
    const registry = commandRegistry([{ command: ported }]);
    expect(registry.byReference("localhost:5000/setup:1:setup")).toBeUndefined();
  });
});

describe("mounts", () => {
  const mountFrom = (type: string) =>
    commandOf({
      mounts: [{ name: "in", writable: false, path: "/input" }],
      xnat: [wrapper("w", [{ name: "source", type, "provides-files-for-command-mount": "in" }])],
    });

  it("with checkArchivePaths, refuses a read-only mount whose archive folder is missing", () => {
    const missing = join(tmpdir(), "xcs-no-such-folder", "DICOM");
    const command = mountFrom("Resource");
    const error = failure(() =>
      resolve(command, { source: resourceJson(missing) }, { checkArchivePaths: true }),
    );
    expect(error.input).toBe("source");
    expect(error.message).toContain(missing);
    expect(error.message).toContain('input "source"');
    expect(error.message).toContain('Mount "in"');
    // Without the option the folder is mounted as given (XCS does not look).
    const resolved = resolve(command, { source: resourceJson(missing) });
    expect(resolved.mounts[0]?.xnatHostPath).toBe(missing);
  });

  it("with checkArchivePaths, accepts a folder that exists", () => {
    const folder = mkdtempSync(join(tmpdir(), "xcs-errors-"));
    temporary.push(folder);
    const resolved = resolve(
      mountFrom("Resource"),
      { source: resourceJson(folder) },
      { checkArchivePaths: true },
    );
    expect(resolved.mounts[0]).toMatchObject({ xnatHostPath: folder, hostPathKind: "archive" });
  });

  it("refuses to mount files from a Subject input", () => {
    const subject = JSON.stringify({
      type: "Subject",
      id: "S1",
      label: "S1",
      uri: "/projects/P1/subjects/S1",
      sessions: [],
      resources: [],
      "subject-assessors": [],
    });
    const error = failure(() => resolve(mountFrom("Subject"), { source: subject }));
    expect(error.message).toBe(
      `I don't know how to provide files to a mount from an input of type "Subject".`,
    );
    expect(error.input).toBe("source");
  });

  it("refuses an input with several values as a mount's source", () => {
    const command = commandOf({
      mounts: [{ name: "in", writable: false, path: "/input" }],
      xnat: [
        wrapper(
          "w",
          [{ name: "session", type: "Session" }],
          [
            {
              name: "scans",
              type: "Scan",
              "derived-from-wrapper-input": "session",
              "provides-files-for-command-mount": "in",
              "provides-value-for-command-input": "IDS",
              "derived-from-xnat-object-property": "id",
              multiple: true,
            },
          ],
        ),
      ],
      inputs: [{ name: "IDS", type: "string" }],
    });
    const error = failure(() => resolve(command, { session: sessionJson(["T1", "T2"]) }));
    expect(error.message).toBe(
      'Input "scans" has multiple resolved values. We can only use inputs with a single resolved value.',
    );
  });
});

describe("the input tree", () => {
  it("names a derived input whose parent does not exist", () => {
    const command = commandOf({
      xnat: [
        wrapper(
          "w",
          [{ name: "session", type: "Session" }],
          [{ name: "scan", type: "Scan", "derived-from-wrapper-input": "sesion" }],
        ),
      ],
    });
    const error = failure(() => resolve(command, {}));
    expect(error.message).toBe(
      `Derived input "scan" claims parent "sesion", but I couldn't find "sesion". Are the inputs out of order?`,
    );
    expect(error.input).toBe("scan");
  });

  it("names a derived input whose parent is declared after it", () => {
    const command = commandOf({
      xnat: [
        wrapper(
          "w",
          [{ name: "session", type: "Session" }],
          [
            { name: "resource", type: "Resource", "derived-from-wrapper-input": "scan" },
            { name: "scan", type: "Scan", "derived-from-wrapper-input": "session" },
          ],
        ),
      ],
    });
    const error = failure(() => resolve(command, {}));
    expect(error.message).toContain(`Derived input "resource" claims parent "scan"`);
  });

  const scanOf = (fields: Json) =>
    commandOf({
      xnat: [
        wrapper(
          "w",
          [{ name: "session", type: "Session" }],
          [{ name: "scan", type: "Scan", "derived-from-wrapper-input": "session", ...fields }],
        ),
      ],
    });

  it("refuses an ambiguous derived match with XCS's message (two spaces)", () => {
    const error = failure(() => resolve(scanOf({}), { session: sessionJson(["T1", "T1"]) }));
    expect(error.javaName).toBe("CommandResolutionException");
    expect(error.input).toBe("scan");
    expect(error.message).toBe(
      'Input "scan"  does not have a unique, resolved value and multiple = true is not set in command.json.',
    );
  });

  it("lets the user pick one of the matches by id", () => {
    const resolved = resolve(scanOf({}), { session: sessionJson(["T1", "T1"]), scan: "2" });
    expect(resolved.derivedInputValues.map(({ value }) => value)).toEqual([
      "/experiments/E1/scans/2",
    ]);
  });

  it("ignores an ambiguous match of an optional input", () => {
    const resolved = resolve(scanOf({ required: false }), { session: sessionJson(["T1", "T1"]) });
    expect(resolved.derivedInputValues).toEqual([]);
  });

  it("names a required derived input without any match", () => {
    const error = failure(() =>
      resolve(scanOf({ matcher: "@.scan-type == 'T2'" }), { session: sessionJson(["T1"]) }),
    );
    expect(error.message).toBe(
      'Input "scan" could not be resolved for this item. You might check the JSONPath matchers in command.json and confirm that this item has Scan data.',
    );
  });

  it("treats a bad matcher on a derived input as no match (XCS catches it)", () => {
    const error = failure(() =>
      resolve(scanOf({ matcher: "@.scan-type = 'T1'" }), { session: sessionJson(["T1"]) }),
    );
    expect(error.message).toContain('Input "scan" could not be resolved for this item.');
  });

  it("lets a bad matcher on an external input fail with Jayway's InvalidPathException", () => {
    const command = commandOf({
      xnat: [wrapper("w", [{ name: "session", type: "Session", matcher: "@.label = 'sess1'" }])],
    });
    let caught: unknown;
    try {
      resolve(command, { session: sessionJson(["T1"]) });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(JsonPathError);
    expect(caught).not.toBeInstanceOf(ResolutionError);
    expect((caught as JsonPathError).javaName).toBe("InvalidPathException");
  });

  it("drops an external object whose matcher does not match (required → missing)", () => {
    const command = commandOf({
      xnat: [wrapper("w", [{ name: "session", type: "Session", matcher: "@.label == 'other'" }])],
    });
    const error = failure(() => resolve(command, { session: sessionJson(["T1"]) }));
    expect(error.message).toBe("Missing values for required input: session.");
  });
});

describe("values", () => {
  it("refuses a value that would print a secret", () => {
    const command = commandOf({
      "command-line": "echo #TEXT#",
      inputs: [{ name: "TEXT", type: "string" }],
      secrets: [
        {
          source: { type: "system-property", identifier: "my.token" },
          destination: { type: "environment-variable", identifier: "MY_TOKEN" },
        },
      ],
      xnat: [wrapper("w", [])],
    });
    const error = failure(() =>
      resolve(
        command,
        { TEXT: "$MY_TOKEN" },
        { settings: { buildPath: "/x", systemProperties: { "my.token": "t0k3n" } } },
      ),
    );
    expect(error.message).toBe(
      'Input "TEXT" resolved value "$MY_TOKEN" refers to secret destination "MY_TOKEN"',
    );
  });

  it("treats a command input fed by a sensitive wrapper input as sensitive", () => {
    const command = commandOf({
      "command-line": "login #TOKEN#",
      inputs: [{ name: "token", "replacement-key": "#TOKEN#" }],
      xnat: [
        wrapper("w", [
          {
            name: "password",
            type: "string",
            sensitive: true,
            "provides-value-for-command-input": "token",
          },
        ]),
      ],
    });
    const resolved = resolve(command, { password: "hunter2" });
    expect(resolved.commandInputValues).toEqual([
      { name: "token", value: "hunter2", type: "command", sensitive: true },
    ]);
  });

  it("reads secret values only from the given properties, never from inherited names", () => {
    const command = commandOf({
      "command-line": "echo",
      secrets: [
        {
          source: { type: "system-property", identifier: "constructor" },
          destination: { type: "environment-variable", identifier: "TOKEN" },
        },
      ],
      xnat: [wrapper("w", [])],
    });
    const resolved = resolve(command, {}, { settings: { buildPath: "/x", systemProperties: {} } });
    expect(resolved.secrets[0]?.value).toBeNull();
  });

  it("names each illegal string in the order XCS checks them", () => {
    const command = commandOf({
      "command-line": "echo #TEXT#",
      inputs: [{ name: "TEXT", type: "string" }],
      xnat: [wrapper("w", [])],
    });
    for (const [value, illegal] of [
      ["a && b; c", ";"],
      ["a && b || c", "&&"],
      ["a || b", "||"],
      ["`id`", "`"],
      ["f(x)", "("],
    ] as const) {
      const error = failure(() => resolve(command, { TEXT: value }));
      expect(error.javaName).toBe("IllegalInputException");
      expect(error.message).toBe(
        `Input "TEXT" has a value containing illegal string "${illegal}".`,
      );
    }
  });
});

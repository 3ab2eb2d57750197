// The quirk switches (`mode: "fixed"` and individual `quirks`), planning without touching the
// disk (`materialize: false`), build-folder names (`newId`) and the resolved command as JSON.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Command, readCommand } from "@xcs/command-schema";
import { afterAll, describe, expect, it } from "vitest";
import {
  type QuirkMode,
  type Quirks,
  quirksFor,
  type ResolvedCommand,
  type ResolveOptions,
  resolveCommand,
  resolvedCommandJson,
} from "../src/index.js";

const temporary: string[] = [];
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(folder);
  return folder;
}

type Json = Record<string, unknown>;

function commandOf(json: Json): Command {
  return readCommand(
    JSON.stringify({ name: "fixed", type: "docker", image: "busybox:1", ...json }),
    {
      mode: "model",
    },
  ).command;
}

function wrapper(external: Json[], derived: Json[] = [], handlers: Json[] = []): Json {
  return {
    name: "w",
    "external-inputs": external,
    "derived-inputs": derived,
    "output-handlers": handlers,
  };
}

function resolve(
  command: Command,
  inputs: Record<string, string>,
  options: Partial<ResolveOptions> = {},
): ResolvedCommand {
  return resolveCommand(command, {
    wrapper: "w",
    inputs,
    settings: { buildPath: "/nonexistent/build" },
    materialize: false,
    ...options,
  });
}

/** Runs `check` in compat and fixed mode, and with the one switch flipped over each mode. */
function eachWay(
  quirk: keyof Quirks,
  run: (options: { mode: QuirkMode; quirks?: Partial<Quirks> }) => ResolvedCommand,
  check: (resolved: ResolvedCommand, fixed: boolean) => void,
) {
  check(run({ mode: "compat" }), false);
  check(run({ mode: "fixed" }), true);
  check(run({ mode: "compat", quirks: { [quirk]: true } }), true);
  check(run({ mode: "fixed", quirks: { [quirk]: false } }), false);
}

const resourceJson = (directory: string) =>
  JSON.stringify({
    type: "Resource",
    id: "DICOM",
    label: "DICOM",
    uri: "/experiments/E1/resources/DICOM",
    directory,
    files: [],
  });

describe("quirksFor", () => {
  it("turns every fix off in compat (the default) and on in fixed", () => {
    const compat = quirksFor();
    const fixed = quirksFor("fixed");
    expect(Object.keys(fixed).sort()).toEqual(Object.keys(compat).sort());
    expect(Object.values(compat).every((value) => value === false)).toBe(true);
    expect(Object.values(fixed).every((value) => value === true)).toBe(true);
    expect(quirksFor("fixed", { longestKeyFirst: false }).longestKeyFirst).toBe(false);
    expect(quirksFor("fixed", { longestKeyFirst: false }).blankMissingFileInput).toBe(true);
  });
});

describe("blankMissingFileInput", () => {
  const command = commandOf({
    "command-line": "prog #F# --end",
    inputs: [{ name: "F", type: "file", required: false }],
    xnat: [wrapper([])],
  });

  it("leaves the key of an optional file input without value in compat, blanks it when fixed", () => {
    eachWay(
      "blankMissingFileInput",
      (options) => resolve(command, {}, options),
      (resolved, fixed) => {
        expect(resolved.commandLine).toBe(fixed ? "prog  --end" : "prog #F# --end");
        expect(resolved.argv.cmd).toEqual(fixed ? ["prog", "--end"] : ["prog", "#F#", "--end"]);
        expect(resolved.safeArgv?.cmd).toEqual(resolved.argv.cmd);
        // Either way XCS drops the input from the resolved values.
        expect(resolved.commandInputValues).toEqual([]);
      },
    );
  });

  it("substitutes a file input that has a value in both modes", () => {
    for (const mode of ["compat", "fixed"] as const) {
      expect(resolve(command, { F: "/input/a.nii" }, { mode }).commandLine).toBe(
        "prog /input/a.nii --end",
      );
    }
  });
});

describe("anchoredPathTranslation", () => {
  const command = commandOf({
    mounts: [{ name: "in", writable: false, path: "/input" }],
    xnat: [
      wrapper([{ name: "resource", type: "Resource", "provides-files-for-command-mount": "in" }]),
    ],
  });
  const settings = {
    buildPath: "/nonexistent/build",
    pathTranslationXnatPrefix: "/data/archive",
    pathTranslationDockerPrefix: "/docker",
  };
  const hostPath = (directory: string, options: Partial<ResolveOptions>) =>
    resolve(command, { resource: resourceJson(directory) }, { ...options, settings }).mounts[0]
      ?.containerHostPath;

  it("replaces the prefix in the middle of a path in compat only", () => {
    eachWay(
      "anchoredPathTranslation",
      (options) =>
        resolve(
          command,
          { resource: resourceJson("/srv/data/archive/P1") },
          { ...options, settings },
        ),
      (resolved, fixed) => {
        const [mount] = resolved.mounts;
        expect(mount?.xnatHostPath).toBe("/srv/data/archive/P1");
        expect(mount?.containerHostPath).toBe(fixed ? "/srv/data/archive/P1" : "/srv/docker/P1");
      },
    );
  });

  it("replaces every occurrence in compat, the leading one only when fixed", () => {
    const path = "/data/archive/P1/data/archive/x";
    expect(hostPath(path, { mode: "compat" })).toBe("/docker/P1/docker/x");
    expect(hostPath(path, { mode: "fixed" })).toBe("/docker/P1/data/archive/x");
  });

  it("translates an ordinary leading prefix the same way in both modes", () => {
    for (const mode of ["compat", "fixed"] as const) {
      expect(hostPath("/data/archive/P1/DICOM", { mode })).toBe("/docker/P1/DICOM");
    }
  });
});

describe("formatSingleMatchAsList", () => {
  const command = commandOf({
    "command-line": "echo #QS#",
    "environment-variables": { SCANS: "#scans#" },
    inputs: [{ name: "QS", type: "string", "multiple-delimiter": "quoted-space" }],
    xnat: [
      wrapper(
        [{ name: "session", type: "Session" }],
        [
          {
            name: "scans",
            type: "Scan",
            "derived-from-wrapper-input": "session",
            "derived-from-xnat-object-property": "id",
            "provides-value-for-command-input": "QS",
            matcher: "@.scan-type == 'T1'",
            multiple: true,
          },
        ],
      ),
    ],
  });
  const session = JSON.stringify({
    type: "Session",
    id: "E1",
    label: "sess1",
    uri: "/experiments/E1",
    scans: ["T1", "T2"].map((scanType, index) => ({
      type: "Scan",
      id: `scan${index + 1}`,
      "scan-type": scanType,
      uri: `/experiments/E1/scans/scan${index + 1}`,
      resources: [],
    })),
    assessors: [],
    resources: [],
  });

  it("formats one match as a single value in compat, as a one-element list when fixed", () => {
    eachWay(
      "formatSingleMatchAsList",
      (options) => resolve(command, { session }, options),
      (resolved, fixed) => {
        expect(resolved.commandLine).toBe(fixed ? "echo 'scan1'" : "echo scan1");
        expect(resolved.environmentVariables.SCANS).toBe(fixed ? "[scan1]" : "scan1");
        expect(resolved.argv.cmd).toEqual(["echo", "scan1"]);
        expect(resolved.safeArgv?.cmd).toEqual(["echo", "scan1"]);
      },
    );
  });
});

describe("substituteWrapperKeysInCommandLine", () => {
  it("leaves wrapper keys literal in the command line in compat (other templates substitute)", () => {
    const command = commandOf({
      "command-line": "echo #label# #TEXT#",
      "environment-variables": { LABEL: "#label#" },
      inputs: [{ name: "TEXT", type: "string" }],
      xnat: [wrapper([{ name: "label", type: "string" }])],
    });
    eachWay(
      "substituteWrapperKeysInCommandLine",
      (options) => resolve(command, { label: "L1", TEXT: "t" }, options),
      (resolved, fixed) => {
        expect(resolved.commandLine).toBe(fixed ? "echo L1 t" : "echo #label# t");
        expect(resolved.environmentVariables.LABEL).toBe("L1");
      },
    );
  });
});

describe("longestKeyFirst", () => {
  it("does not let the key SCAN eat the start of SCAN_ID when fixed", () => {
    const command = commandOf({
      "command-line": "echo SCAN SCAN_ID",
      inputs: [
        { name: "scan", type: "string", "replacement-key": "SCAN" },
        { name: "scan-id", type: "string", "replacement-key": "SCAN_ID" },
      ],
      xnat: [wrapper([])],
    });
    const resolved = resolve(command, { scan: "a", "scan-id": "7" }, { mode: "fixed" });
    expect(resolved.commandLine).toBe("echo a 7");
    expect(resolved.safeArgv?.cmd).toEqual(["echo", "a", "7"]);
  });
});

describe("build folders", () => {
  /** A resource folder with two files, mounted writable (so copied), and an output mount. */
  function setup() {
    const archive = tempDir("xcs-fixed-archive-");
    const build = tempDir("xcs-fixed-build-");
    mkdirSync(join(archive, "sub"));
    writeFileSync(join(archive, "a.txt"), "a");
    writeFileSync(join(archive, "sub", "b.txt"), "b");
    const command = commandOf({
      mounts: [
        { name: "in", writable: true, path: "/input" },
        { name: "out", writable: true, path: "/output" },
      ],
      xnat: [
        wrapper([{ name: "resource", type: "Resource", "provides-files-for-command-mount": "in" }]),
      ],
    });
    // No `materialize` unless a test gives one: the default is to create and copy.
    const run = (options: Partial<ResolveOptions>) =>
      resolveCommand(command, {
        wrapper: "w",
        inputs: { resource: resourceJson(archive) },
        settings: { buildPath: build },
        ...options,
      });
    return { archive, build, run };
  }

  it("creates the build folders and copies the files by default", () => {
    const { build, run } = setup();
    const resolved = run({});
    const [input, output] = resolved.mounts;
    expect(input).toMatchObject({ hostPathKind: "build", copied: true, fromInput: "resource" });
    expect(dirname(input?.xnatHostPath ?? "")).toBe(build);
    expect(existsSync(join(input?.xnatHostPath ?? "", "a.txt"))).toBe(true);
    expect(existsSync(join(input?.xnatHostPath ?? "", "sub", "b.txt"))).toBe(true);
    expect(output).toMatchObject({ hostPathKind: "build", writable: true });
    expect(readdirSync(output?.xnatHostPath ?? "")).toEqual([]);
    expect(readdirSync(build).sort()).toEqual(
      [input?.xnatHostPath, output?.xnatHostPath]
        .map((path) => path?.slice(build.length + 1))
        .sort(),
    );
  });

  it("plans the same folders without creating anything with materialize: false", () => {
    const { archive, build, run } = setup();
    const resolved = run({ materialize: false });
    const [input, output] = resolved.mounts;
    expect(readdirSync(build)).toEqual([]);
    expect(dirname(input?.xnatHostPath ?? "")).toBe(build);
    expect(dirname(output?.xnatHostPath ?? "")).toBe(build);
    expect(input?.xnatHostPath).not.toBe(output?.xnatHostPath);
    expect(input).toMatchObject({ hostPathKind: "build", copied: true });
    // The archive is left as it was.
    expect(readdirSync(archive).sort()).toEqual(["a.txt", "sub"]);
  });

  it("names build folders with newId (random UUIDs by default)", () => {
    const { build, run } = setup();
    let count = 0;
    const resolved = run({ materialize: false, newId: () => `folder-${++count}` });
    expect(resolved.mounts.map((mount) => mount.xnatHostPath)).toEqual([
      join(build, "folder-1"),
      join(build, "folder-2"),
    ]);
    const random = run({ materialize: false });
    for (const mount of random.mounts) {
      expect(mount.xnatHostPath.slice(build.length + 1)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    }
  });

  it("creates the folders newId names when materialising", () => {
    const { build, run } = setup();
    const ids = ["in-copy", "out-folder"];
    run({ materialize: true, newId: () => ids.shift() as string });
    expect(readdirSync(build).sort()).toEqual(["in-copy", "out-folder"]);
    expect(readdirSync(join(build, "in-copy")).sort()).toEqual(["a.txt", "sub"]);
  });
});

describe("resolvedCommandJson", () => {
  const command = commandOf({
    "command-line": "echo #TEXT#",
    "environment-variables": { MODE: "#TEXT#" },
    inputs: [{ name: "TEXT", type: "string" }],
    mounts: [{ name: "out", writable: true, path: "/output" }],
    outputs: [{ name: "data", mount: "out", path: "result" }],
    secrets: [
      {
        source: { type: "system-property", identifier: "my.token" },
        destination: { type: "environment-variable", identifier: "MY_TOKEN" },
      },
    ],
    xnat: [
      wrapper(
        [{ name: "resource", type: "Resource" }],
        [],
        [
          {
            name: "data-resource",
            "accepts-command-output": "data",
            "as-a-child-of": "resource",
            type: "Resource",
            label: "OUT",
          },
        ],
      ),
    ],
  });
  const resolved = resolve(
    command,
    { TEXT: "hello", resource: resourceJson("/data/archive/DICOM") },
    { settings: { buildPath: "/nonexistent/build", systemProperties: { "my.token": "t0k3n" } } },
  );

  it("keeps the secret's value in the resolved command, masks it in the JSON", () => {
    expect(resolved.secrets[0]?.value).toBe("t0k3n");
    const json = resolvedCommandJson(resolved);
    expect(json.secrets).toEqual([
      {
        source: { type: "system-property", identifier: "my.token" },
        destination: { type: "environment-variable", identifier: "MY_TOKEN" },
        value: "****",
      },
    ]);
    expect(JSON.stringify(json)).not.toContain("t0k3n");
    const revealed = resolvedCommandJson(resolved, { revealSecrets: true });
    expect((revealed.secrets as { value: string }[])[0]?.value).toBe("t0k3n");
  });

  it("masks a sensitive input's value wherever the plan uses it", () => {
    const sensitive = commandOf({
      "command-line": "login #PW#",
      "environment-variables": { PASSWORD: "#PW#" },
      inputs: [{ name: "pw", "replacement-key": "#PW#", sensitive: true }],
      xnat: [wrapper([], [], [])],
    });
    const plan = resolve(sensitive, { pw: "hunter2" });
    const json = resolvedCommandJson(plan);
    expect(JSON.stringify(json)).not.toContain("hunter2");
    expect(json["command-line"]).toBe("login ****");
    expect(resolvedCommandJson(plan, { revealSecrets: true })["command-line"]).toBe(
      "login hunter2",
    );
  });

  it("uses XCS's kebab-case keys (and its one camelCase key, overrideEntrypoint)", () => {
    const json = resolvedCommandJson(resolved);
    const kebab = /^[a-z]+(-[a-z]+)*$/;
    const keysOf = (object: unknown) => Object.keys(object as Json);
    expect(keysOf(json).filter((key) => !kebab.test(key))).toEqual(["overrideEntrypoint"]);
    expect(json).toMatchObject({
      "command-line": "echo hello",
      "wrapper-name": "w",
      "command-name": "fixed",
      "environment-variables": { MODE: "hello" },
      "raw-input-values": { TEXT: "hello" },
      overrideEntrypoint: false,
    });
    const [mount] = json.mounts as Json[];
    expect(keysOf(mount).every((key) => kebab.test(key))).toBe(true);
    expect(mount).toMatchObject({ name: "out", "container-path": "/output", writable: true });
    const [output] = json.outputs as Json[];
    expect(keysOf(output).filter((key) => !kebab.test(key))).toEqual([]);
    expect(output).toMatchObject({
      name: "data:data-resource",
      "from-command-output": "data",
      "from-output-handler": "data-resource",
      "handled-by": "resource",
      label: "OUT",
    });
    expect(json["command-input-values"]).toEqual([
      { name: "TEXT", value: "hello", type: "command", sensitive: false },
    ]);
    expect(json["safe-argv"]).toEqual({ entrypoint: null, cmd: ["echo", "hello"] });
  });
});

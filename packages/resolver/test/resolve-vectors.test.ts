// Runner for resolve.json: whole resolutions (compat mode, and fixed mode where a case spells
// out the fix) and the template cases.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Command, readCommand } from "@xcs/command-schema";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CommandRegistry,
  type QuirkMode,
  quirksFor,
  type ResolvedCommand,
  type ResolvedMount,
  resolveCommand,
  resolveTemplate,
  substituteJsonPath,
} from "../src/index.js";
import { CONFORMANCE, loadVectors } from "./support.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Expected = Record<string, Json>;

interface ResolveCase {
  id: string;
  kind: "resolve";
  command: Json;
  parseAs: "pojo" | "rest";
  wrapper: string;
  inputs?: Record<string, string | { $json: Json; patch?: { pointer: string; value: Json }[] }>;
  settings: Record<string, Json>;
  archiveFiles?: Record<string, string>;
  specialCommands?: Record<string, { $ref: string; imageOverride?: string }>;
  expected: Expected;
  fixed?: Expected;
  tags: string[];
}

interface TemplateCase {
  id: string;
  kind: "template";
  template: string;
  values: [string, string | null][];
  wrapperJson: Json;
  commandJson?: Json;
  fixedCommandJson?: Json;
  valueOnly?: boolean;
  expected: Expected;
  fixed?: Expected;
}

const vectors = loadVectors<{ cases: (ResolveCase | TemplateCase)[] }>("resolve.json");
const temporary: string[] = [];
afterAll(() => {
  for (const folder of temporary) rmSync(folder, { recursive: true, force: true });
});

const refText = (ref: string) => readFileSync(join(CONFORMANCE, ref), "utf8");
const deref = (value: Json): Json =>
  value !== null && typeof value === "object" && !Array.isArray(value) && "$ref" in value
    ? (JSON.parse(refText(value.$ref as string)) as Json)
    : value;

function setPointer(document: Json, pointer: string, value: Json): void {
  const parts = pointer
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
  let target = document as Record<string, Json>;
  for (const part of parts.slice(0, -1)) target = target[part] as Record<string, Json>;
  target[parts.at(-1) as string] = value;
}

function commandOf(json: Json, parseAs: "pojo" | "rest", image?: string): Command {
  const text =
    json !== null && typeof json === "object" && "$ref" in json
      ? refText(json.$ref as string)
      : JSON.stringify(json);
  const command = readCommand(text, { mode: parseAs === "rest" ? "rest" : "model" }).command;
  return image === undefined ? command : { ...command, image };
}

/** The case with fresh {ARCHIVE} and {BUILD} folders and its archive files written. */
function prepare(raw: ResolveCase): ResolveCase {
  const archive = mkdtempSync(join(tmpdir(), "xcs-archive-"));
  const build = mkdtempSync(join(tmpdir(), "xcs-build-"));
  temporary.push(archive, build);
  const text = JSON.stringify(raw).replaceAll("{ARCHIVE}", archive).replaceAll("{BUILD}", build);
  const testCase = JSON.parse(text) as ResolveCase;
  for (const [path, content] of Object.entries(testCase.archiveFiles ?? {})) {
    mkdirSync(dirname(join(archive, path)), { recursive: true });
    writeFileSync(join(archive, path), content);
  }
  return testCase;
}

function runtimeValues(testCase: ResolveCase): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(testCase.inputs ?? {})) {
    if (typeof value === "string") {
      values[name] = value;
      continue;
    }
    const document = structuredClone(deref(value.$json));
    for (const { pointer, value: patch } of value.patch ?? []) setPointer(document, pointer, patch);
    values[name] = JSON.stringify(document);
  }
  return values;
}

function registryOf(testCase: ResolveCase): CommandRegistry {
  const commands = new Map(
    Object.entries(testCase.specialCommands ?? {}).map(([reference, entry]) => [
      reference,
      commandOf({ $ref: entry.$ref }, "rest", entry.imageOverride),
    ]),
  );
  return { byReference: (reference) => commands.get(reference) };
}

function run(testCase: ResolveCase, mode: QuirkMode): ResolvedCommand | { error: unknown } {
  try {
    const settings = testCase.settings as Record<string, unknown>;
    return resolveCommand(commandOf(testCase.command, testCase.parseAs), {
      wrapper: testCase.wrapper,
      inputs: runtimeValues(testCase),
      settings: {
        buildPath: settings.buildPath as string,
        archivePath: settings.archivePath as string,
        pathTranslationXnatPrefix: (settings.pathTranslationXnatPrefix as string) ?? null,
        pathTranslationDockerPrefix: (settings.pathTranslationDockerPrefix as string) ?? null,
        remoteFiles: settings.remoteFiles === true,
        systemProperties: (settings.systemProperties as Record<string, string>) ?? {},
      },
      registry: registryOf(testCase),
      mode,
    });
  } catch (error) {
    return { error };
  }
}

function expectError(actual: unknown, expected: { class: string; message?: string }): void {
  const error = actual as { javaName?: string; message?: string };
  expect(error.javaName, String(error.message)).toBe(expected.class);
  if (expected.message !== undefined) expect(error.message).toBe(expected.message);
}

const valuesByName = (list: { name: string; value: string }[]) =>
  Object.fromEntries(list.map(({ name, value }) => [name, value]));

function checkMount(
  actual: ResolvedMount | undefined,
  expected: Record<string, Json>,
  context: { build: string; main: ResolvedCommand; setupOutput?: string },
): void {
  expect(actual, `mount ${expected.name}`).toBeDefined();
  const mount = actual as ResolvedMount;
  for (const key of [
    "name",
    "containerPath",
    "writable",
    "hostPathKind",
    "xnatHostPath",
    "containerHostPath",
    "viaSetupCommand",
  ]) {
    if (key in expected) expect(mount[key as keyof ResolvedMount], key).toEqual(expected[key]);
  }
  if (expected.hostPathKind === "build" || expected.hostPathKind === "setup-build") {
    expect(dirname(mount.xnatHostPath)).toBe(context.build);
  }
  if (expected.containerHostPathEqualsXnatHostPath === true) {
    expect(mount.containerHostPath).toBe(mount.xnatHostPath);
  }
  for (const file of (expected.filesPresent as string[] | undefined) ?? []) {
    expect(existsSync(join(mount.xnatHostPath, file)), file).toBe(true);
  }
  const same = expected.sameHostPathAs as string | undefined;
  if (same !== undefined) {
    const other = context.main.mounts.find((candidate) => `mount:${candidate.name}` === same);
    expect(mount.xnatHostPath).toBe(other?.xnatHostPath);
  }
}

function checkSpecial(
  actual: ResolvedCommand[],
  expected: Record<string, Json>[],
  context: { build: string; main: ResolvedCommand },
) {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((want, index) => {
    const got = actual[index] as ResolvedCommand;
    for (const key of [
      "name",
      "image",
      "type",
      "wrapperId",
      "wrapperName",
      "commandLine",
      "parentSourceObjectName",
    ]) {
      if (key in want) {
        const value = key === "name" ? got.commandName : got[key as keyof ResolvedCommand];
        expect(value, key).toEqual(want[key]);
      }
    }
    const mounts = (want.mounts as Record<string, Json>[] | undefined) ?? [];
    mounts.forEach((mount, position) => {
      checkMount(got.mounts[position], mount, context);
    });
  });
}

function check(
  result: ResolvedCommand | { error: unknown },
  expected: Expected,
  build: string,
): void {
  if (expected.error !== null && expected.error !== undefined) {
    expect("error" in result, "expected an error").toBe(true);
    expectError(
      (result as { error: unknown }).error,
      expected.error as { class: string; message?: string },
    );
    return;
  }
  if ("error" in result) throw result.error;
  const resolved = result;
  for (const key of [
    "image",
    "type",
    "commandLine",
    "environmentVariables",
    "ports",
    "workingDirectory",
    "containerName",
    "containerLabels",
    "genericResources",
  ]) {
    if (key in expected) expect(resolved[key as keyof ResolvedCommand], key).toEqual(expected[key]);
  }
  if ("wrapperInputValues" in expected) {
    expect(
      valuesByName([...resolved.externalWrapperInputValues, ...resolved.derivedInputValues]),
    ).toEqual(expected.wrapperInputValues);
  }
  if ("commandInputValues" in expected) {
    expect(valuesByName(resolved.commandInputValues)).toEqual(expected.commandInputValues);
  }
  const context = { build, main: resolved };
  if ("mounts" in expected) {
    const mounts = expected.mounts as Record<string, Json>[];
    expect(resolved.mounts.map((mount) => mount.name)).toEqual(mounts.map((mount) => mount.name));
    mounts.forEach((mount, index) => {
      checkMount(resolved.mounts[index], mount, context);
    });
  }
  if ("outputs" in expected) {
    const outputs = expected.outputs as Record<string, Json>[];
    expect(resolved.outputs).toHaveLength(outputs.length);
    outputs.forEach((want, index) => {
      const got = resolved.outputs[index] as unknown as Record<string, Json>;
      for (const key of Object.keys(want))
        expect(got[key], `output ${index} ${key}`).toEqual(want[key]);
    });
  }
  if ("setupCommands" in expected)
    checkSpecial(resolved.setupCommands, expected.setupCommands as Record<string, Json>[], context);
  if ("wrapupCommands" in expected)
    checkSpecial(
      resolved.wrapupCommands,
      expected.wrapupCommands as Record<string, Json>[],
      context,
    );
  const docker = (expected.launch as Record<string, Json> | undefined)?.docker as
    | Record<string, Json>
    | undefined;
  if (docker !== undefined) {
    expect(resolved.argv.entrypoint).toEqual(docker.entrypoint);
    expect(resolved.argv.cmd).toEqual(docker.cmd);
  }
}

function runTemplate(
  testCase: TemplateCase,
  mode: QuirkMode,
): { result: string } | { error: unknown } {
  const quirks = quirksFor(mode);
  const command =
    mode === "fixed" && testCase.fixedCommandJson !== undefined
      ? testCase.fixedCommandJson
      : (testCase.commandJson ?? {});
  const targets = { wrapper: testCase.wrapperJson, command };
  try {
    if (testCase.valueOnly) return { result: substituteJsonPath(testCase.template, targets) };
    return {
      result: resolveTemplate(testCase.template, new Map(testCase.values), targets, quirks),
    };
  } catch (error) {
    return { error };
  }
}

/** `{...expected, ...fixed}`, where a fixed outcome (result or error) replaces the other one. */
function withFix(expected: Expected, fixed: Expected | undefined): Expected {
  if (fixed === undefined) return expected;
  const base = { ...expected };
  if ("result" in fixed || "error" in fixed) {
    delete base.result;
    delete base.error;
  }
  return { ...base, ...fixed };
}

describe.skipIf(!vectors)("resolve.json", () => {
  for (const raw of vectors?.cases ?? []) {
    const modes: QuirkMode[] = raw.fixed === undefined ? ["compat"] : ["compat", "fixed"];
    for (const mode of modes) {
      const expected = mode === "fixed" ? withFix(raw.expected, raw.fixed) : raw.expected;
      it(`${raw.id} (${mode})`, () => {
        if (raw.kind === "template") {
          const outcome = runTemplate(raw, mode);
          if ("error" in expected)
            expectError((outcome as { error: unknown }).error, expected.error as { class: string });
          else {
            if ("error" in outcome) throw outcome.error;
            expect(outcome.result).toBe(expected.result);
          }
          return;
        }
        const testCase = prepare(raw);
        const want =
          mode === "fixed" ? withFix(testCase.expected, testCase.fixed) : testCase.expected;
        check(run(testCase, mode), want, testCase.settings.buildPath as string);
      });
    }
  }
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./index.js";
import {
  CONFORMANCE_ENV,
  conformance,
  defaultConformanceDir,
  requireOrSkip,
  requireSystem,
} from "./index.js";

const here = dirname(fileURLToPath(import.meta.url));
let warn: ReturnType<typeof vi.spyOn>;
let scratch: string;

beforeEach(() => {
  warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  scratch = mkdtempSync(join(tmpdir(), "test-support-"));
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  rmSync(scratch, { recursive: true, force: true });
});

const onDeveloperMachine = () => vi.stubEnv("CI", undefined);
const underCI = () => vi.stubEnv("CI", "true");

it("exports exactly its documented API", () => {
  expect(Object.keys(api).sort()).toEqual([
    "CONFORMANCE_ENV",
    "conformance",
    "defaultConformanceDir",
    "requireOrSkip",
    "requireSystem",
  ]);
});

describe("requireOrSkip", () => {
  it("is true and quiet when the dependency is present, in CI too", () => {
    underCI();
    expect(requireOrSkip(true, "tool not found")).toBe(true);
    onDeveloperMachine();
    expect(requireOrSkip(true, "tool not found")).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it("prints the reason and returns false on a developer machine", () => {
    onDeveloperMachine();
    expect(requireOrSkip(false, "tool not found")).toBe(false);
    expect(warn).toHaveBeenCalledExactlyOnceWith("skipping: tool not found");
  });

  it("throws the reason under CI=true, printing nothing", () => {
    underCI();
    expect(() => requireOrSkip(false, "tool not found")).toThrow(new Error("tool not found"));
    expect(warn).not.toHaveBeenCalled();
  });

  it.each(["false", "1", "TRUE", ""])("skips when CI is %j: only CI=true fails", (v) => {
    vi.stubEnv("CI", v);
    expect(requireOrSkip(false, "tool not found")).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe("requireSystem", () => {
  it("names what is missing", () => {
    onDeveloperMachine();
    expect(requireSystem("dcm2niix", false)).toBe(false);
    expect(warn).toHaveBeenCalledWith("skipping: dcm2niix not found");
  });

  it("names the Debian package that provides it, when given", () => {
    underCI();
    const hint = "install the Debian package python3-nibabel (scripts/install-system-packages.sh)";
    expect(() => requireSystem("nibabel", false, "python3-nibabel")).toThrow(
      new Error(`nibabel not found: ${hint}`),
    );
  });
});

describe("conformance", () => {
  it("reads the set's variable, resolved against the working folder", () => {
    vi.stubEnv(CONFORMANCE_ENV.xcs, scratch);
    vi.stubEnv(CONFORMANCE_ENV.radifox, "relative/vectors");
    expect(CONFORMANCE_ENV).toEqual({
      xcs: "XCS_CONFORMANCE_DIR",
      radifox: "RADIFOX_CONFORMANCE_DIR",
    });
    expect(conformance("xcs").dir).toBe(scratch);
    expect(conformance("radifox").dir).toBe(resolve("relative/vectors"));
  });

  it("defaults to ../shared/conformance/<set> beside the repository", () => {
    vi.stubEnv(CONFORMANCE_ENV.xcs, undefined);
    vi.stubEnv(CONFORMANCE_ENV.radifox, undefined);
    // This file is packages/test-support/src/index.test.ts: ../../../.. is beside the repository.
    const shared = resolve(here, "../../../../shared/conformance");
    expect(defaultConformanceDir("xcs")).toBe(join(shared, "xcs"));
    expect(conformance("xcs").dir).toBe(join(shared, "xcs"));
    expect(conformance("radifox").dir).toBe(join(shared, "radifox"));
  });

  it("loads a vectors file that is there", () => {
    vi.stubEnv(CONFORMANCE_ENV.radifox, scratch);
    writeFileSync(join(scratch, "cases.json"), '{"cases":[1,2]}');
    underCI();
    const vectors = conformance("radifox");
    expect(vectors.path("cases.json")).toBe(join(scratch, "cases.json"));
    expect(vectors.present("cases.json")).toBe(true);
    expect(vectors.load<{ cases: number[] }>("cases.json")).toEqual({ cases: [1, 2] });
    expect(warn).not.toHaveBeenCalled();
  });

  it("skips a missing vectors file with its path on a developer machine", () => {
    vi.stubEnv(CONFORMANCE_ENV.xcs, scratch);
    onDeveloperMachine();
    const vectors = conformance("xcs");
    expect(vectors.load("missing.json")).toBeUndefined();
    expect(vectors.present("missing.json")).toBe(false);
    const reason = `skipping: conformance vectors ${join(scratch, "missing.json")} not found`;
    expect(warn.mock.calls).toEqual([[reason], [reason]]);
  });

  it("fails on a missing vectors file under CI=true", () => {
    vi.stubEnv(CONFORMANCE_ENV.xcs, scratch);
    underCI();
    const vectors = conformance("xcs");
    const reason = `conformance vectors ${join(scratch, "missing.json")} not found`;
    expect(() => vectors.load("missing.json")).toThrow(new Error(reason));
    expect(() => vectors.present("missing.json")).toThrow(new Error(reason));
  });

  it("reads the folder when called, not when each file is loaded", () => {
    vi.stubEnv(CONFORMANCE_ENV.xcs, scratch);
    const vectors = conformance("xcs");
    vi.stubEnv(CONFORMANCE_ENV.xcs, join(scratch, "elsewhere"));
    expect(vectors.dir).toBe(scratch);
  });
});

// Shared helpers of the real-data tests: the Debian data folders, the nibabel fixture, and exact
// comparison of floats (every bit, -0 and NaN included).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireSystem as requireSystemPackage } from "@workspace/test-support";

const here = dirname(fileURLToPath(import.meta.url));

export const DATA_DIRS = {
  nibabel: "/usr/lib/python3/dist-packages/nibabel/tests/data",
  mricron: "/usr/share/mricron/templates",
} as const;

const PACKAGE_OF: Record<string, string> = {
  nibabel: "python3-nibabel",
  mricron: "mricron-data",
  nifti_tool: "nifti-bin",
  python: "python3-nibabel",
};

/**
 * Whether a system dependency is present. On a developer machine a missing one prints why the
 * tests skip; with CI=true it fails, so CI never passes by skipping.
 */
export function requireSystem(what: keyof typeof PACKAGE_OF, present: boolean): boolean {
  return requireSystemPackage(what, present, PACKAGE_OF[what]);
}

export const DEBIAN_PYTHON = "/usr/bin/python3";

/** Whether Debian's python3 with nibabel can run here. */
export function hasNibabel(): boolean {
  try {
    execFileSync(DEBIAN_PYTHON, ["-c", "import nibabel"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function hasNiftiTool(): boolean {
  try {
    execFileSync("nifti_tool", ["-help"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The fixture with "NaN"/"Infinity"/"-Infinity" strings turned back into numbers. */
export function loadFixture(): Fixture {
  const revive = (_key: string, value: Json) => {
    if (value === "NaN") return Number.NaN;
    if (value === "Infinity") return Number.POSITIVE_INFINITY;
    if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
    return value;
  };
  return JSON.parse(readFileSync(join(here, "fixtures", "nibabel.json"), "utf8"), revive);
}

export interface FileRecord {
  source: keyof typeof DATA_DIRS;
  file: string;
  sha256: string;
  version: 1 | 2;
  endianness: "little" | "big";
  header: Record<string, Json>;
  extensions: { code: number; esize: number; contentLength: number; contentSha256: string }[];
  shape: number[];
  zooms: number[];
  qformCode: number;
  sformCode: number;
  qform: number[][];
  sform: number[][];
  bestAffine: number[][];
  axcodes: (string | null)[];
  ioOrientation: number[][];
  slopeInter: [number | null, number | null];
  dataOffset: number;
  hdrfix: Record<string, Json> & { error?: string };
  data: null | {
    storedSha256: string;
    float64Sha256: string | null;
    float32Sha256: string | null;
  };
}

export interface SetQformCase {
  name: string;
  version: 1 | 2;
  affine: number[][];
  error?: string;
  quatern_b: number;
  quatern_c: number;
  quatern_d: number;
  qoffset_x: number;
  qoffset_y: number;
  qoffset_z: number;
  pixdim: number[];
  qform: number[][];
  axcodes: (string | null)[] | { error: string };
  ioOrientation: number[][] | { error: string };
}

export interface GetQformCase {
  name: string;
  version: 1 | 2;
  storedQuatern: number[];
  storedPixdim: number[];
  storedQoffset: number[];
  /** nibabel's get_qform(), or the exception it raised. */
  qform: number[][] | { error: string };
}

export interface Fixture {
  generator: Record<string, string>;
  files: FileRecord[];
  setQform: SetQformCase[];
  getQform: GetQformCase[];
}

/** Numbers as exact strings (`-0` and `NaN` distinct), for deep equality of float data. */
export function bits(value: unknown): unknown {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (Array.isArray(value)) return value.map(bits);
  return value;
}

export function sha256(bytes: ArrayBufferView): string {
  return createHash("sha256")
    .update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    .digest("hex");
}

export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

export function pathOf(record: Pick<FileRecord, "source" | "file">): string {
  return join(DATA_DIRS[record.source], record.file);
}

export function dataAvailable(): boolean {
  return existsSync(DATA_DIRS.nibabel) && existsSync(DATA_DIRS.mricron);
}

/** camelCase header key -> nibabel field name. */
export function nibabelName(key: string): string {
  return key.replace(/[A-Z0-9]+/g, (part) => `_${part.toLowerCase()}`);
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "nifti-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

// Shared helpers of the tests: where the conformance vectors are, the Debian python oracle,
// synthetic NIfTI volumes from the vectors' recipes, and decoding PNG files.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createImage, type NiftiImage, setQform, setSform, updateHeader } from "@radifox/nifti";
import { defaultConformanceDir, requireOrSkip } from "@workspace/test-support";
import { PNG } from "pngjs";

/** Skip with a printed reason on a developer machine; fail in CI (CI never passes by skipping). */
export { requireOrSkip };

/**
 * The RADIFOX vectors file `name`: in `RADIFOX_CONFORMANCE_DIR` if set, else in
 * `../shared/conformance/radifox` beside the repository. `undefined` (with a warning) when
 * missing on a developer machine; an error under CI=true.
 */
export function requireVectors(name: string): string | undefined {
  const dirs = [process.env.RADIFOX_CONFORMANCE_DIR, defaultConformanceDir("radifox")];
  const dir = dirs.find((d): d is string => !!d && existsSync(join(d, name)));
  const ok = requireOrSkip(
    dir !== undefined,
    `conformance vectors ${name} not found (set RADIFOX_CONFORMANCE_DIR)`,
  );
  return ok && dir ? join(dir, name) : undefined;
}

export const PYTHON = "/usr/bin/python3";

let pythonChecked: boolean | undefined;

/** Whether Debian's python3 with numpy and scipy can run here (warns / throws as above). */
export function requirePython(): boolean {
  if (pythonChecked === undefined) {
    let ok = false;
    try {
      execFileSync(PYTHON, ["-c", "import numpy, scipy.ndimage"], { stdio: "ignore" });
      ok = true;
    } catch {
      ok = false;
    }
    pythonChecked = requireOrSkip(ok, `${PYTHON} with numpy and scipy not found (python3-scipy)`);
  }
  return pythonChecked;
}

/** Runs `script` (with `args` in sys.argv[1:]) and JSON `input` on stdin; returns the JSON it prints. */
export function runPython<T>(script: string, input: unknown, args: string[] = []): T {
  const result = spawnSync(PYTHON, ["-c", script, ...args], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 256 << 20,
  });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** A seeded generator (mulberry32) of floats in [0, 1): every run checks the same inputs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A scratch folder, removed by `cleanup`. */
export function makeTmp(): { root: string; cleanup: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "radifox-qa-")));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Same number, NaN equal to NaN (and -0 distinct from +0 is not asked for). */
export function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A vectors number: JSON numbers, or "nan", "inf", "-inf". */
export function vectorNumber(value: unknown): number {
  if (value === "nan") return Number.NaN;
  if (value === "inf") return Number.POSITIVE_INFINITY;
  if (value === "-inf") return Number.NEGATIVE_INFINITY;
  if (typeof value !== "number") throw new Error(`not a number: ${JSON.stringify(value)}`);
  return value;
}

export interface VolumeRecipe {
  shape: number[];
  dtype: "int16" | "uint8" | "int32" | "float32";
  affine: number[][];
  formula: {
    kind: "lin_mod" | "label_mod" | "box" | "constant";
    coef?: number[];
    const?: number;
    mod?: number;
    scale?: number;
    offset?: number;
    labels?: number[];
    lo?: number[];
    hi?: number[];
    value?: number;
  };
  scl_slope?: number;
  scl_inter?: number;
  qform_code?: number;
  sform_code?: number;
  qform?: number[][];
}

const pyMod = (a: number, m: number) => ((a % m) + m) % m;

/** The voxel values of a recipe in x-fastest order, computed in float64 then cast. */
export function recipeData(
  recipe: VolumeRecipe,
): Int16Array | Uint8Array | Int32Array | Float32Array {
  const shape = recipe.shape;
  const count = shape.reduce((a, b) => a * b, 1);
  const f = recipe.formula;
  const coef = (a: number) => f.coef?.[a] ?? 0;
  const values = new Float64Array(count);
  const index = new Array<number>(shape.length).fill(0);
  for (let n = 0; n < count; n++) {
    let rest = n;
    for (let a = 0; a < shape.length; a++) {
      index[a] = rest % (shape[a] as number);
      rest = Math.floor(rest / (shape[a] as number));
    }
    const [i = 0, j = 0, k = 0, t = 0] = index;
    let v: number;
    switch (f.kind) {
      case "lin_mod": {
        const sum = coef(0) * i + coef(1) * j + coef(2) * k + coef(3) * t + (f.const ?? 0);
        v = pyMod(sum, f.mod as number) * (f.scale ?? 1) + (f.offset ?? 0);
        break;
      }
      case "label_mod": {
        const labels = f.labels as number[];
        v = labels[pyMod(coef(0) * i + coef(1) * j + coef(2) * k, labels.length)] as number;
        break;
      }
      case "box": {
        const lo = f.lo as number[];
        const hi = f.hi as number[];
        const inside = lo.every(
          (l, a) => (index[a] as number) >= l && (index[a] as number) < (hi[a] as number),
        );
        v = inside ? (f.value as number) : 0;
        break;
      }
      case "constant":
        v = f.value as number;
        break;
      default:
        throw new Error(`unknown formula ${String(f.kind)}`);
    }
    values[n] = v;
  }
  switch (recipe.dtype) {
    case "int16":
      return Int16Array.from(values, Math.trunc);
    case "uint8":
      return Uint8Array.from(values, Math.trunc);
    case "int32":
      return Int32Array.from(values, Math.trunc);
    case "float32":
      return Float32Array.from(values);
    default:
      throw new Error(`unknown dtype ${String(recipe.dtype)}`);
  }
}

/** The NIfTI image of a recipe, with the header the vectors describe. */
export function recipeImage(recipe: VolumeRecipe): NiftiImage {
  const data = recipeData(recipe);
  const affine = recipe.affine;
  const image = createImage({ data, shape: recipe.shape });
  let header = setSform(image.header, affine, recipe.sform_code ?? 1);
  header = setQform(header, recipe.qform ?? affine, recipe.qform_code ?? 1);
  const pixdim = [...header.pixdim];
  for (let a = 0; a < 3; a++) {
    const column = [0, 1, 2].map((r) => (affine[r] as number[])[a] as number);
    pixdim[a + 1] = Math.fround(Math.sqrt(column.reduce((s, x) => s + x * x, 0)));
  }
  if (recipe.shape.length > 3) pixdim[4] = 1;
  const scaling =
    recipe.scl_slope !== undefined || recipe.scl_inter !== undefined
      ? { sclSlope: recipe.scl_slope ?? 1, sclInter: recipe.scl_inter ?? 0 }
      : { sclSlope: Number.NaN, sclInter: Number.NaN };
  header = updateHeader(header, { pixdim, ...scaling });
  return image.withHeader(header);
}

/** A decoded PNG: its colour type and the raw pixels (channels interleaved, no alpha). */
export interface DecodedPng {
  width: number;
  height: number;
  mode: "L" | "RGB";
  pixels: Uint8Array;
}

export function decodePng(path: string): DecodedPng {
  const bytes = readFileSync(path);
  const colorType = bytes[25];
  const bitDepth = bytes[24];
  if (bitDepth !== 8 || (colorType !== 0 && colorType !== 2)) {
    throw new Error(
      `${path}: expected an 8-bit grey or RGB PNG, got type ${colorType} depth ${bitDepth}`,
    );
  }
  const png = PNG.sync.read(bytes);
  const channels = colorType === 0 ? 1 : 3;
  const pixels = new Uint8Array(png.width * png.height * channels);
  for (let p = 0; p < png.width * png.height; p++) {
    for (let c = 0; c < channels; c++) pixels[p * channels + c] = png.data[p * 4 + c] as number;
  }
  return { width: png.width, height: png.height, mode: colorType === 0 ? "L" : "RGB", pixels };
}

/** Row, column and channel sums, total and sha256 of decoded pixels, as the vectors give them. */
export function pixelStats(png: DecodedPng) {
  const channels = png.mode === "L" ? 1 : 3;
  const rowSums = new Array<number>(png.height).fill(0);
  const colSums = new Array<number>(png.width).fill(0);
  const channelSums = new Array<number>(channels).fill(0);
  for (let r = 0; r < png.height; r++) {
    for (let c = 0; c < png.width; c++) {
      for (let ch = 0; ch < channels; ch++) {
        const v = png.pixels[(r * png.width + c) * channels + ch] as number;
        rowSums[r] = (rowSums[r] as number) + v;
        colSums[c] = (colSums[c] as number) + v;
        channelSums[ch] = (channelSums[ch] as number) + v;
      }
    }
  }
  return {
    rowSums,
    colSums,
    channelSums,
    total: rowSums.reduce((a, b) => a + b, 0),
    sha256: createHash("sha256").update(png.pixels).digest("hex"),
  };
}

// Runs every case of qa.json (produced by the original RADIFOX v2.2.0) against this package:
// `resize_1d` through resampleIndices, `montage` through real .nii.gz files, createQaImage and
// the PNG it writes, decoded again.
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { writeImage } from "@radifox/nifti";
import { afterAll, describe, expect, it } from "vitest";
import {
  createQaImage,
  type PlanePlan,
  QaError,
  type QaImageInfo,
  renderQaImage,
  resampleIndices,
} from "../src/index.js";
import {
  decodePng,
  makeTmp,
  pixelStats,
  recipeImage,
  requireVectors,
  sameNumber,
  type VolumeRecipe,
  vectorNumber,
} from "./support.js";

interface PythonError {
  error: string;
  message?: string;
}

interface Case {
  id: string;
  kind: "resize_1d" | "montage";
  note: string;
  input: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const file = requireVectors("qa.json");
const cases: Case[] = file ? JSON.parse(readFileSync(file, "utf8")).cases : [];
const tmp = makeTmp();
afterAll(() => tmp.cleanup());

const isError = (value: unknown): value is PythonError =>
  !!value && typeof value === "object" && !Array.isArray(value) && "error" in value;

/** The Python exception classes the original raises where we throw a QaError of each code. */
const PYTHON_ERRORS: Record<string, string[]> = {
  E_QA_READ: ["FileNotFoundError", "ImageFileError", "OSError", "HeaderDataError", "EOFError"],
  E_QA_RESAMPLE: ["ValueError", "OverflowError"],
  E_QA_EMPTY: ["ValueError"],
  E_QA_FRACTION: ["ValueError", "IndexError"],
  E_QA_OVERLAY: ["ValueError"],
  E_QA_DIMS: ["ValueError", "IndexError"],
  E_QA_ORIENTATION: ["ValueError", "TypeError"],
  E_QA_LUT: ["KeyError"],
  E_QA_DATATYPE: ["ValueError", "TypeError"],
};

function expectPythonError(error: unknown, expected: PythonError, id: string): void {
  if (!(error instanceof QaError)) throw error;
  expect(PYTHON_ERRORS[error.code] ?? [], `${id}: ${error.code} for ${expected.error}`).toContain(
    expected.error,
  );
}

function runResize(c: Case): void {
  const n = c.input.n as number;
  const expected = c.expected;
  const zoom32 =
    (expected.zoom_float32 as number | undefined) ?? Math.fround(c.input.zoom as number);
  expect(Math.fround(c.input.zoom as number)).toBe(zoom32);
  const failure = isError(expected)
    ? expected
    : isError(expected.indices)
      ? expected.indices
      : isError(expected.new_n)
        ? expected.new_n
        : undefined;
  if (failure) {
    let thrown: unknown;
    try {
      resampleIndices(n, zoom32);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, `${c.id} should fail with ${failure.error}`).toBeDefined();
    expectPythonError(thrown, failure, c.id);
    return;
  }
  const indices = Array.from(resampleIndices(n, zoom32));
  expect(indices.length).toBe(expected.new_n);
  expect(indices).toEqual(expected.indices);
}

/** Where the first slice of a plane starts and how it steps, as the vectors describe it. */
function display(plan: PlanePlan, shape: number[]) {
  const origin = [0, 0, 0];
  const rowStep = [0, 0, 0];
  const colStep = [0, 0, 0];
  origin[plan.sliceAxis] = plan.arrayIndex[0] as number;
  origin[plan.colAxis] = plan.colReversed ? (shape[plan.colAxis] as number) - 1 : 0;
  origin[plan.rowAxis] = plan.rowReversed ? (shape[plan.rowAxis] as number) - 1 : 0;
  colStep[plan.colAxis] = plan.colReversed ? -1 : 1;
  rowStep[plan.rowAxis] = plan.rowReversed ? -1 : 1;
  return { origin, rowStep, colStep };
}

function checkInfo(c: Case, info: QaImageInfo): void {
  const e = c.expected;
  const num = (key: string, actual: number) =>
    expect(
      sameNumber(actual, vectorNumber(e[key])),
      `${c.id} ${key}: ${actual} vs ${String(e[key])}`,
    ).toBe(true);
  if ("orientation" in e) expect(info.orientation).toEqual(e.orientation);
  if ("zooms" in e) expect(info.zooms).toEqual(e.zooms);
  if ("resampled_shape" in e) expect(info.resampledShape).toEqual(e.resampled_shape);
  if ("samples" in e) expect(info.samples).toEqual(e.samples);
  if ("M" in e) expect(info.tileSize).toBe(e.M);
  if ("bg_value" in e) num("bg_value", info.bgValue);
  if ("montage_float_min" in e) num("montage_float_min", info.montageMin);
  if ("p99_9_after_min_subtraction" in e) num("p99_9_after_min_subtraction", info.percentile999);
  const planes = (e.planes ?? {}) as Record<string, Record<string, unknown>>;
  for (const [name, want] of Object.entries(planes)) {
    const plan = info.planes.find((p) => p.plane === name);
    expect(plan, `${c.id}: plane ${name}`).toBeDefined();
    if (!plan) continue;
    const where = display(plan, info.resampledShape);
    const got: Record<string, unknown> = {
      n_slices: plan.nSlices,
      slice_nums: plan.sliceNums,
      array_index: plan.arrayIndex,
      slice_axis: plan.sliceAxis,
      tile_shape: plan.tileShape,
      display_origin_voxel: where.origin,
      display_row_step: where.rowStep,
      display_col_step: where.colStep,
    };
    for (const [key, value] of Object.entries(want)) {
      expect(key in got, `${c.id}: no runner for plane field ${key}`).toBe(true);
      expect(got[key], `${c.id} ${name}.${key}`).toEqual(value);
    }
  }
}

function checkPng(c: Case, path: string, info: QaImageInfo): void {
  const want = c.expected.png as Record<string, unknown> | undefined;
  if (!want) return;
  const png = decodePng(path);
  const stats = pixelStats(png);
  expect([png.width, png.height, png.mode]).toEqual([want.width, want.height, want.mode]);
  expect([info.width, info.height, info.mode]).toEqual([want.width, want.height, want.mode]);
  if ("row_sums" in want) expect(stats.rowSums).toEqual(want.row_sums);
  if ("col_sums" in want) expect(stats.colSums).toEqual(want.col_sums);
  if ("channel_sums" in want) expect(stats.channelSums).toEqual(want.channel_sums);
  if ("total" in want) expect(stats.total).toBe(want.total);
  if ("pixels" in want) {
    expect(Array.from(png.pixels)).toEqual((want.pixels as unknown[]).flat(2));
  }
  if ("pixel_sha256" in want) expect(stats.sha256).toBe(want.pixel_sha256);
  const copy = c.expected.png_copy as string | undefined;
  if (copy && file) {
    const reference = decodePng(join(dirname(file), copy));
    expect([reference.width, reference.height, reference.mode]).toEqual([
      png.width,
      png.height,
      png.mode,
    ]);
    expect(
      Buffer.from(reference.pixels).equals(Buffer.from(png.pixels)),
      `${c.id} vs ${copy}`,
    ).toBe(true);
  }
}

async function runMontage(c: Case): Promise<void> {
  const dir = join(tmp.root, c.id);
  mkdirSync(dir, { recursive: true });
  const volume = join(dir, "volume.nii.gz");
  await writeImage(volume, recipeImage(c.input.volume as VolumeRecipe));
  let overlay: string | undefined;
  if (c.input.overlay) {
    overlay = join(dir, "overlay.nii.gz");
    await writeImage(overlay, recipeImage(c.input.overlay as VolumeRecipe));
  }
  const options = {
    ...(overlay ? { overlay, lut: (c.input.overlay_lut as "binary" | undefined) ?? "binary" } : {}),
    ...(c.input.fractions ? { fractions: c.input.fractions as number[] } : {}),
  };
  const output = join(dir, "qa.png");
  if (isError(c.expected)) {
    const failure = c.expected;
    await createQaImage(volume, output, { ...options, blend: "all" }).then(
      () => expect.fail(`${c.id} should fail with ${failure.error}`),
      (error: unknown) => expectPythonError(error, failure, c.id),
    );
    return;
  }
  // The original's look: the overlay blended into every pixel.
  const info = await createQaImage(volume, output, { ...options, blend: "all" });
  checkInfo(c, info);
  checkPng(c, output, info);
  if (!overlay) return;
  // Our default: labelled pixels as the original, unlabelled pixels keep the plain grey image.
  const labelledPath = join(dir, "qa-labelled.png");
  const greyPath = join(dir, "qa-grey.png");
  await createQaImage(volume, labelledPath, options);
  const {
    overlay: _o,
    lut: _l,
    ...greyOptions
  } = options as typeof options & {
    overlay?: string;
    lut?: string;
  };
  await createQaImage(volume, greyPath, greyOptions);
  const { labels } = await renderQaImage(volume, options);
  const all = decodePng(output).pixels;
  const labelled = decodePng(labelledPath).pixels;
  const grey = decodePng(greyPath).pixels;
  expect(labels).toBeDefined();
  let labelledCount = 0;
  let mismatches = 0;
  (labels as Uint8Array).forEach((label, p) => {
    if (label > 0) labelledCount++;
    for (let ch = 0; ch < 3; ch++) {
      const want = label > 0 ? all[p * 3 + ch] : grey[p];
      if (labelled[p * 3 + ch] !== want) mismatches++;
    }
  });
  expect(mismatches, `${c.id}: default-blend pixels that differ`).toBe(0);
  expect(labelledCount).toBeGreaterThan(0);
}

describe("qa.json", () => {
  it("has cases of known kinds", () => {
    if (!file) return;
    expect(cases.length).toBeGreaterThan(0);
    for (const c of cases) expect(["resize_1d", "montage"]).toContain(c.kind);
  });

  for (const c of cases) {
    it(`${c.id} (${c.kind}): ${c.note}`, async () => {
      if (c.kind === "resize_1d") runResize(c);
      else await runMontage(c);
    });
  }
});

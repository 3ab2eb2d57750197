import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { axcodes, createImage, readImage, writeImage } from "@radifox/nifti";
import { afterAll, describe, expect, it } from "vitest";
import { decodePng, makeTmp, recipeImage, type VolumeRecipe } from "../test/support.js";
import { QaError } from "./errors.js";
import { scaleToUint8 } from "./intensity.js";
import { montage } from "./montage.js";
import { createQaImage, renderQaImage } from "./qa-image.js";
import { resample1mm } from "./resample.js";

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

const recipe = (shape: number[], extra: Partial<VolumeRecipe> = {}): VolumeRecipe => ({
  shape,
  dtype: "int16",
  affine: [
    [-1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1.5, 0],
    [0, 0, 0, 1],
  ],
  formula: { kind: "lin_mod", coef: [3, 7, 11, 40], const: 1, mod: 97 },
  ...extra,
});

async function volume(name: string, r: VolumeRecipe): Promise<string> {
  const path = join(tmp.root, name);
  await writeImage(path, recipeImage(r));
  return path;
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QaError) return error.code;
    throw error;
  }
  return undefined;
}

describe("createQaImage", () => {
  it("writes the montage PNG and describes it", async () => {
    const input = await volume("plain.nii.gz", recipe([10, 12, 8]));
    const output = join(tmp.root, "plain.png");
    const info = await createQaImage(input, output);
    expect(info).toMatchObject({ mode: "L", tileSize: 12, width: 9 * 12, height: 3 * 12 });
    expect(info.orientation).toEqual(["L", "A", "S"]);
    expect(info.resampledShape).toEqual([10, 12, 12]);
    const png = decodePng(output);
    expect([png.width, png.height, png.mode]).toEqual([108, 36, "L"]);
    const render = await renderQaImage(input);
    expect(Buffer.from(render.pixels).equals(Buffer.from(png.pixels))).toBe(true);
  });

  it("equals the step-by-step pipeline (resample1mm, montage, scaleToUint8)", async () => {
    const cases: VolumeRecipe[] = [
      recipe([9, 11, 7]),
      recipe([9, 11, 7], { scl_slope: -0.7, scl_inter: 3 }),
      recipe([8, 6, 9], {
        dtype: "float32",
        formula: { kind: "lin_mod", coef: [3, 5, 7], mod: 23, scale: 0.37, offset: -4.1 },
      }),
    ];
    for (const [k, r] of cases.entries()) {
      const path = await volume(`steps-${k}.nii.gz`, r);
      const image = await readImage(path);
      const oneMm = resample1mm(
        image.getFloatData("float64"),
        image.shape,
        image.header.pixdim.slice(1, 4),
      );
      const tiles = montage(oneMm.data, oneMm.shape, axcodes(image.affine));
      const grey = scaleToUint8(tiles.values);
      const render = await renderQaImage(path);
      expect(Buffer.from(grey.pixels).equals(Buffer.from(render.pixels)), `case ${k}`).toBe(true);
      expect([tiles.width, tiles.height, tiles.bgValue]).toEqual([
        render.info.width,
        render.info.height,
        render.info.bgValue,
      ]);
      expect(grey.percentile).toBe(render.info.percentile999);
    }
  });

  it("uses volume 0 of a 4-D image", async () => {
    const four = await volume("four.nii.gz", recipe([8, 9, 6, 3]));
    const data = recipeImage(recipe([8, 9, 6, 3])).data as Int16Array;
    const image = recipeImage(recipe([8, 9, 6]));
    const first = join(tmp.root, "first.nii.gz");
    const second = join(tmp.root, "second.nii.gz");
    await writeImage(first, image.withHeader(image.header));
    await writeImage(
      second,
      createImage({
        data: data.slice(8 * 9 * 6, 2 * 8 * 9 * 6),
        shape: [8, 9, 6],
        header: image.header,
      }),
    );
    const a = await renderQaImage(four);
    const b = await renderQaImage(first);
    const c = await renderQaImage(second);
    expect(Buffer.from(a.pixels).equals(Buffer.from(b.pixels))).toBe(true);
    expect(Buffer.from(a.pixels).equals(Buffer.from(c.pixels))).toBe(false);
    expect(a.info.shape).toEqual([8, 9, 6]);
  });

  it("blends only labelled pixels by default, every pixel with blend: all", async () => {
    const input = await volume("base.nii.gz", recipe([10, 10, 8]));
    const overlay = await volume(
      "labels.nii.gz",
      recipe([10, 10, 8], {
        dtype: "uint8",
        formula: { kind: "box", lo: [2, 2, 2], hi: [6, 7, 5], value: 1 },
      }),
    );
    const grey = await renderQaImage(input);
    const labelled = await renderQaImage(input, { overlay });
    const all = await renderQaImage(input, { overlay, blend: "all" });
    expect(labelled.info.mode).toBe("RGB");
    const labels = labelled.labels as Uint8Array;
    let inside = 0;
    labels.forEach((label, p) => {
      const rgb = Array.from(labelled.pixels.subarray(p * 3, p * 3 + 3));
      const g = grey.pixels[p] as number;
      if (label === 0) expect(rgb).toEqual([g, g, g]);
      else {
        inside++;
        expect(rgb).toEqual(Array.from(all.pixels.subarray(p * 3, p * 3 + 3)));
        expect(rgb).toEqual([
          Math.trunc(255 * 0.4 + g * 0.6),
          Math.trunc(g * 0.6),
          Math.trunc(g * 0.6),
        ]);
      }
    });
    expect(inside).toBeGreaterThan(0);
    // The original dims unlabelled pixels too.
    const p = labels.indexOf(0);
    expect(all.pixels[p * 3]).toBe(Math.trunc((grey.pixels[p] as number) * 0.6));
  });

  it("resamples the overlay on its own (shape and orientation may differ)", async () => {
    const input = await volume("own-a.nii.gz", recipe([10, 12, 8]));
    const overlay = await volume(
      "own-b.nii.gz",
      recipe([12, 10, 8], {
        dtype: "uint8",
        affine: [
          [1, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1.5, 0],
          [0, 0, 0, 1],
        ],
        formula: { kind: "label_mod", coef: [1, 1, 1], labels: [0, 1] },
      }),
    );
    const render = await renderQaImage(input, { overlay });
    expect(render.info.overlay?.orientation).toEqual(["R", "A", "S"]);
    expect(render.info.overlay?.resampledShape).toEqual([12, 10, 12]);
    const bigger = await volume("own-c.nii.gz", recipe([14, 10, 8]));
    expect(await codeOf(renderQaImage(input, { overlay: bigger }))).toBe("E_QA_OVERLAY");
  });

  it("names the missing file", async () => {
    const missing = join(tmp.root, "nope.nii.gz");
    const error = await createQaImage(missing, join(tmp.root, "x.png")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QaError);
    expect((error as QaError).code).toBe("E_QA_READ");
    expect((error as QaError).path).toBe(missing);
    expect((error as QaError).message).toContain(missing);
    expect((error as QaError).cause).toBeDefined();
    const input = await volume("for-overlay.nii.gz", recipe([6, 6, 6]));
    const bad = await createQaImage(input, join(tmp.root, "y.png"), { overlay: missing }).catch(
      (e: unknown) => e,
    );
    expect((bad as QaError).message).toMatch(/overlay/);
  });

  it("refuses surface overlays, unknown tables and bad options before reading", async () => {
    const missing = join(tmp.root, "missing.nii.gz");
    const out = join(tmp.root, "z.png");
    expect(await codeOf(createQaImage(missing, out, { overlay: "lh.pial.surf.gii" }))).toBe(
      "E_QA_SURFACE",
    );
    expect(await codeOf(createQaImage(missing, out, { lut: "jet" as "binary" }))).toBe("E_QA_LUT");
    expect(await codeOf(createQaImage(missing, out, { alpha: Number.NaN }))).toBe("E_QA_OPTION");
    expect(await codeOf(createQaImage(missing, out, { blend: "some" as "all" }))).toBe(
      "E_QA_OPTION",
    );
  });

  it("turns the original's crashes into QaErrors", async () => {
    const input = await volume("crash.nii.gz", recipe([10, 10, 10]));
    const out = join(tmp.root, "crash.png");
    expect(await codeOf(createQaImage(input, out, { fractions: [1.0] }))).toBe("E_QA_FRACTION");
    expect(await codeOf(createQaImage(input, out, { fractions: { axial: [0.5] } }))).toBe(
      "E_QA_FRACTION",
    );
    // 1 voxel of 0.4 mm: no 1 mm voxel at all.
    const thin = await volume(
      "thin.nii.gz",
      recipe([1, 10, 10], {
        affine: [
          [0.4, 0, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
          [0, 0, 0, 1],
        ],
      }),
    );
    expect(await codeOf(createQaImage(thin, out))).toBe("E_QA_EMPTY");
    const flat = join(tmp.root, "flat.nii.gz");
    await writeImage(flat, createImage({ data: new Int16Array(20), shape: [4, 5] }));
    expect(await codeOf(createQaImage(flat, out))).toBe("E_QA_DIMS");
    expect(existsSync(out)).toBe(false);
  });

  it("reports an unwritable output clearly and leaves no temporary file", async () => {
    const input = await volume("w.nii.gz", recipe([6, 6, 6]));
    const noFolder = join(tmp.root, "no", "such", "folder", "qa.png");
    const error = await createQaImage(input, noFolder).catch((e: unknown) => e);
    expect((error as QaError).code).toBe("E_QA_WRITE");
    expect((error as QaError).message).toContain(noFolder);
    // The output is a folder: the temporary file is written, the rename fails, it is removed.
    const folder = join(tmp.root, "out-is-a-folder");
    mkdirSync(join(folder, "qa.png"), { recursive: true });
    const rename = await createQaImage(input, join(folder, "qa.png")).catch((e: unknown) => e);
    expect((rename as QaError).code).toBe("E_QA_WRITE");
    expect(readdirSync(folder)).toEqual(["qa.png"]);
  });

  it("replaces an existing output and stops when aborted", async () => {
    const input = await volume("r.nii.gz", recipe([6, 6, 6]));
    const output = join(tmp.root, "replace.png");
    writeFileSync(output, "old");
    await createQaImage(input, output);
    expect(readFileSync(output).subarray(1, 4).toString()).toBe("PNG");
    const controller = new AbortController();
    controller.abort();
    const aborted = join(tmp.root, "aborted.png");
    await expect(createQaImage(input, aborted, { signal: controller.signal })).rejects.toThrow(
      /abort/i,
    );
    expect(existsSync(aborted)).toBe(false);
  });
});

// Differential test against the original algorithm run in Debian's python3 (nibabel, numpy,
// scipy): random volumes (shapes, voxel sizes, axis orders and flips, datatypes, scaling, 4-D,
// fractions, overlays with out-of-range labels) go through createQaImage here and through a
// re-statement of radifox v2.2.0's create_qa_image there; the pixels must be identical.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { writeImage } from "@radifox/nifti";
import { afterAll, describe, expect, it } from "vitest";
import { createQaImage, LUTS, type LutName } from "../src/index.js";
import {
  decodePng,
  makeTmp,
  PYTHON,
  random,
  recipeImage,
  requireOrSkip,
  runPython,
  sameNumber,
  type VolumeRecipe,
} from "./support.js";

const ORACLE = `
import hashlib, json, sys, warnings
import numpy as np
import nibabel as nib
from scipy.ndimage import map_coordinates
warnings.simplefilter("ignore")

IN_PLANE = {"axial": (("L", "P"), ("R", "A")), "sagittal": (("P", "I"), ("A", "S")),
            "coronal": (("L", "I"), ("R", "S"))}
TOWARD = {"axial": "S", "sagittal": "L", "coronal": "P"}
OPPOSITE = dict(zip("LRPAIS", "RLAPSI"))
LUTS = json.loads(sys.argv[1])

def one_mm(img):
    data = img.get_fdata()
    positions, sizes = [], []
    for n, zoom in zip(img.shape, img.header.get_zooms()):
        step = 1.0 / zoom
        size = int(round(n / step))
        shrink = ((-0.5 + n) - (-0.5) - size * step) / 2
        positions.append(np.arange(-0.5 + shrink + step / 2, -0.5 + n - shrink - step / 4, step))
        sizes.append(size)
    grid = np.array([g.flatten() for g in np.meshgrid(*positions, indexing="ij")])
    return map_coordinates(data, grid, mode="nearest", order=0).reshape(sizes)

def cut(vol, codes, plane, num):
    keep, toward, where = [], [], []
    for axis, code in enumerate(codes):
        if code in IN_PLANE[plane][0]:
            where.append(slice(None)); toward.append(code)
        elif code in IN_PLANE[plane][1]:
            where.append(slice(None, None, -1)); toward.append(OPPOSITE[code])
        elif code == TOWARD[plane]:
            where.append(num)
        else:
            where.append(vol.shape[axis] - num - 1)
    tile = vol[tuple(where)]
    return tile if tuple(toward) == IN_PLANE[plane][0] else tile.T

def montage(path, fractions):
    img = nib.load(path)
    three = img if len(img.shape) == 3 else nib.four_to_three(img)[0]
    vol = one_mm(three)
    codes = nib.aff2axcodes(img.affine)
    bg, m = vol.min(), max(vol.shape)
    blocks = []
    for plane in ("axial", "sagittal", "coronal"):
        d = TOWARD[plane]
        n = vol.shape[codes.index(d) if d in codes else codes.index(OPPOSITE[d])]
        tiles = []
        for num in np.around(np.array(fractions[plane]) * n):
            tile = cut(vol, codes, plane, int(num))
            pads = [(int(np.floor((m - s) / 2.0)), int(np.ceil((m - s) / 2.0))) for s in tile.shape]
            tiles.append(np.pad(tile, pads, "constant", constant_values=bg))
        blocks.append(np.concatenate(tiles, 0))
    return np.concatenate(blocks, 1), float(bg)

out = []
for case in json.load(sys.stdin):
    grey, bg = montage(case["input"], case["fractions"])
    low = float(grey.min())
    grey = grey - grey.min()
    p = float(np.percentile(grey, 99.9))
    grey = np.array(grey / np.percentile(grey, 99.9) * 255.0)
    grey[grey > 255.0] = 255.0
    pixels = grey.astype(np.ubyte).T
    if case.get("overlay"):
        labels = montage(case["overlay"], case["fractions"])[0].astype(np.ubyte).T
        lut = np.zeros((256, 3))
        for k, v in LUTS[case["lut"]].items():
            lut[int(k), :] = v
        colour = np.zeros(labels.shape + (3,))
        for c in range(3):
            colour[labels > 0, c] = np.take(lut[:, c], labels[labels > 0])
        rgb = np.repeat(pixels[:, :, np.newaxis], 3, axis=2)
        pixels = ((colour * 0.4) + (rgb * (1 - 0.4))).astype(np.ubyte)
    out.append({"sha256": hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest(),
                "shape": list(pixels.shape), "bg": bg, "min": low, "p": p})
print(json.dumps(out))
`;

function hasNibabel(): boolean {
  try {
    execFileSync(PYTHON, ["-c", "import nibabel, numpy, scipy.ndimage"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const tmp = makeTmp();
afterAll(() => tmp.cleanup());

interface OracleCase {
  input: string;
  overlay?: string;
  lut?: LutName;
  fractions: Record<string, number[]>;
}

/** A random recipe: shape, voxel sizes, axis order and flips, datatype, scaling, 4-D. */
function randomRecipe(next: () => number, k: number): VolumeRecipe {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const zooms = [0, 1, 2].map(() =>
    pick([
      0.5,
      0.8,
      0.9375,
      1,
      1,
      1,
      1.2,
      1.5,
      2,
      2.5,
      3,
      Math.round((0.4 + next() * 2.6) * 1000) / 1000,
    ]),
  );
  const shape = zooms.map((z) => Math.max(2, Math.ceil((3 + Math.floor(next() * 22)) / z)));
  const order = pick([
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ]);
  const affine = [0, 1, 2].map(() => [0, 0, 0, 0]);
  order.forEach((world, axis) => {
    (affine[world] as number[])[axis] = (next() < 0.5 ? -1 : 1) * (zooms[axis] as number);
  });
  affine.forEach((row) => {
    row[3] = Math.round((next() - 0.5) * 40);
  });
  if (k % 7 === 3) {
    // A small rotation about the world z axis: orientation codes stay clear.
    const [c, s] = [Math.cos(0.2), Math.sin(0.2)];
    const [r0, r1] = [affine[0] as number[], affine[1] as number[]];
    for (let j = 0; j < 3; j++) {
      const [a, b] = [r0[j] as number, r1[j] as number];
      r0[j] = c * a - s * b;
      r1[j] = s * a + c * b;
    }
  }
  affine.push([0, 0, 0, 1]);
  const dtype = pick(["int16", "int16", "float32", "uint8", "int32"] as const);
  const volumeShape = k % 5 === 2 ? [...shape, 2] : shape;
  const recipe: VolumeRecipe = {
    shape: volumeShape,
    dtype,
    affine,
    formula: {
      kind: "lin_mod",
      coef: [
        1 + Math.floor(next() * 9),
        1 + Math.floor(next() * 13),
        1 + Math.floor(next() * 17),
        31,
      ],
      const: Math.floor(next() * 50),
      // int32 with a range of 2e9: too wide for the per-value table (the float64 path).
      mod:
        dtype === "uint8" ? 251 : dtype === "int32" ? 2_000_000_011 : pick([97, 256, 1009, 30011]),
      ...(dtype === "int32" ? { offset: -1_000_000_000 } : {}),
      ...(dtype === "float32" ? { scale: 0.37, offset: -4.1 } : {}),
    },
  };
  if (k % 4 === 1 && dtype !== "float32") {
    recipe.scl_slope = pick([0.5, 0.3, -1.25, 2]);
    recipe.scl_inter = pick([0, 10, -3.7]);
  }
  return recipe;
}

describe("create_qa_image oracle (Debian python3 + nibabel + scipy)", () => {
  it("gives the original's pixels on random volumes and overlays", async () => {
    if (!requireOrSkip(hasNibabel(), `${PYTHON} with nibabel, numpy and scipy not found`)) return;
    const next = random(31337);
    const cases: OracleCase[] = [];
    const ours: { sha256: string; shape: number[]; bg: number; min: number; p: number }[] = [];
    for (let k = 0; k < 48; k++) {
      const recipe = randomRecipe(next, k);
      const input = join(tmp.root, `v${k}.nii.gz`);
      await writeImage(input, recipeImage(recipe));
      const count = 1 + Math.floor(next() * 9);
      const fractions =
        k % 3 === 0
          ? Array.from({ length: count }, () => Math.round(next() * 65) / 100)
          : [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
      const c: OracleCase = {
        input,
        fractions: { axial: fractions, sagittal: fractions, coronal: fractions },
      };
      if (k % 3 === 1) {
        // Labels on the same grid, some out of uint8 range (int16 300 -> 44, -1 -> 255).
        const labels: VolumeRecipe = {
          ...recipe,
          dtype: "int16",
          formula: {
            kind: "label_mod",
            coef: [1, 2, 3],
            labels: [0, 0, 1, 2, 3, 4, 5, 14, 41, 207, 300, -1],
          },
        };
        delete labels.scl_slope;
        delete labels.scl_inter;
        c.overlay = join(tmp.root, `o${k}.nii.gz`);
        c.lut = (["binary", "colorblind", "brain_color"] as const)[
          k % 3 === 1 ? ((k / 3) % 3) | 0 : 0
        ];
        await writeImage(c.overlay, recipeImage(labels));
      }
      const output = join(tmp.root, `v${k}.png`);
      const info = await createQaImage(input, output, {
        fractions,
        ...(c.overlay ? { overlay: c.overlay, lut: c.lut, blend: "all" as const } : {}),
      });
      const png = decodePng(output);
      ours.push({
        sha256: createHash("sha256").update(png.pixels).digest("hex"),
        shape: png.mode === "L" ? [png.height, png.width] : [png.height, png.width, 3],
        bg: info.bgValue,
        min: info.montageMin,
        p: info.percentile999,
      });
      cases.push(c);
    }
    const theirs = runPython<typeof ours>(ORACLE, cases, [JSON.stringify(LUTS)]);
    cases.forEach((c, k) => {
      const a = ours[k];
      const b = theirs[k];
      expect(a?.shape, `case ${k} ${c.input}`).toEqual(b?.shape);
      expect(
        sameNumber(a?.bg as number, b?.bg as number),
        `case ${k} bg ${a?.bg} vs ${b?.bg}`,
      ).toBe(true);
      expect(sameNumber(a?.min as number, b?.min as number), `case ${k} min`).toBe(true);
      expect(sameNumber(a?.p as number, b?.p as number), `case ${k} p99.9 ${a?.p} vs ${b?.p}`).toBe(
        true,
      );
      expect(a?.sha256, `case ${k} pixels`).toBe(b?.sha256);
    });
  }, 120_000);
});

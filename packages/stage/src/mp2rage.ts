// MP2RAGEPlugin (spec 5.8): the "uniform" (UNI-DEN) image of an MP2RAGE acquisition from its two
// inversions, given as real/imaginary or magnitude/phase images. Arithmetic follows numpy's
// complex64/float32 steps so values agree with the original to float32 rounding.
import { join } from "node:path";
import { ImageFile } from "@radifox/naming";
import { type NiftiImage, readImage } from "@radifox/nifti";
import { imageLikeTemplate } from "./derived-image.js";
import { groupImages, type PlannedOutput, type StagingPlugin, safely } from "./plugin.js";

const f = Math.fround;
const GAMMA = 1e9;
const PARTS = ["MAG", "PHA", "REA", "IMA"] as const;

const isMp2rage = safely(
  (image) =>
    image.modality === "T1" &&
    image.technique === "IRFSPGR" &&
    image.extras.some((extra) => extra.includes("INV")),
);

/** `INV1-REA`, `INV2-MAG`...: the inversion and the complex part (MAG when unnamed). */
export function mp2rageKey(image: ImageFile): string {
  const inversion = image.extras.find((extra) => extra.includes("INV")) ?? "";
  const part = PARTS.find((name) => image.extras.includes(name)) ?? "MAG";
  return `${inversion}-${part}`;
}

type SetKind = "complex" | "magphase";

/** Which complete set a group forms, or why it is not one. */
function classify(
  group: readonly ImageFile[],
): { kind: SetKind; byKey: Map<string, ImageFile> } | { problem: string } {
  const byKey = new Map<string, ImageFile[]>();
  for (const image of group) {
    const key = mp2rageKey(image);
    byKey.set(key, [...(byKey.get(key) ?? []), image]);
  }
  const exactlyOne = (keys: string[]) => keys.every((key) => byKey.get(key)?.length === 1);
  const first = new Map([...byKey].map(([key, images]) => [key, images[0] as ImageFile]));
  if (exactlyOne(["INV1-REA", "INV1-IMA", "INV2-REA", "INV2-IMA"])) {
    return { kind: "complex", byKey: first };
  }
  if (exactlyOne(["INV1-MAG", "INV1-PHA", "INV2-MAG", "INV2-PHA"])) {
    return { kind: "magphase", byKey: first };
  }
  const found = [...byKey].map(([key, images]) => `${images.length} x ${key}`).join(", ");
  return {
    problem:
      "Cannot create uniden image from provided images: an MP2RAGE set needs exactly one image " +
      `each of INV1/INV2 REA and IMA, or of INV1/INV2 MAG and PHA; found ${found}`,
  };
}

const templateKey = (kind: SetKind) => (kind === "complex" ? "INV1-REA" : "INV1-MAG");

type Load = (image: ImageFile) => Promise<NiftiImage>;

async function floats(image: ImageFile, load: Load): Promise<Float32Array> {
  return (await load(image)).getFloatData("float32") as Float32Array;
}

/** A phase image rescaled to [0, 2 pi] (float32, as numpy computes it). */
function phaseRadians(phase: Float32Array): Float32Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of phase) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = f(max - min);
  const twoPi = f(2 * Math.PI);
  const out = new Float32Array(phase.length);
  for (let i = 0; i < phase.length; i++)
    out[i] = f(f(f((phase[i] as number) - min) / span) * twoPi);
  return out;
}

/** The real and imaginary parts of one inversion. */
async function inversion(
  kind: SetKind,
  byKey: Map<string, ImageFile>,
  inv: "INV1" | "INV2",
  load: Load,
): Promise<[Float32Array, Float32Array]> {
  const get = (part: string) => byKey.get(`${inv}-${part}`) as ImageFile;
  if (kind === "complex") return [await floats(get("REA"), load), await floats(get("IMA"), load)];
  const magnitude = await floats(get("MAG"), load);
  const phase = phaseRadians(await floats(get("PHA"), load));
  const re = new Float32Array(magnitude.length);
  const im = new Float32Array(magnitude.length);
  for (let i = 0; i < magnitude.length; i++) {
    const m = magnitude[i] as number;
    const p = phase[i] as number;
    re[i] = f(m * f(Math.cos(p)));
    im[i] = f(m * f(Math.sin(p)));
  }
  return [re, im];
}

/** `Re[(conj(S1) S2 - g) / (|S1|^2 + |S2|^2 + 2g)]` clipped to [-0.5, 0.5], plus 0.5. */
export function uniformImage(
  re1: Float32Array,
  im1: Float32Array,
  re2: Float32Array,
  im2: Float32Array,
  gamma = GAMMA,
): Float32Array {
  const out = new Float32Array(re1.length);
  const twoGamma = 2 * gamma;
  for (let i = 0; i < out.length; i++) {
    const a = re1[i] as number;
    const b = im1[i] as number;
    const c = re2[i] as number;
    const d = im2[i] as number;
    const numerator = f(f(f(a * c) + f(b * d)) - gamma);
    const abs1 = f(Math.hypot(a, b));
    const abs2 = f(Math.hypot(c, d));
    const denominator = f(f(f(abs1 * abs1) + f(abs2 * abs2)) + twoGamma);
    const value = f(numerator / denominator);
    out[i] = f((value < -0.5 ? -0.5 : Math.min(value, 0.5)) + 0.5);
  }
  return out;
}

function plannedUniden(
  group: readonly ImageFile[],
  stageDir: string,
): PlannedOutput | { problem: string } {
  const set = classify(group);
  if ("problem" in set) return set;
  const template = set.byKey.get(templateKey(set.kind)) as ImageFile;
  return {
    path: join(stageDir, `${template.stem}_uniden.nii.gz`),
    inputs: [...set.byKey.values()].map((image) => image.path),
  };
}

/**
 * Makes the MP2RAGE uniform image of each study's INV1/INV2 set. Sets are grouped by study
 * (the two inversions are usually separate series). A group that is not a complete set (for
 * example magnitude images only) is skipped with a warning instead of failing the subject.
 */
export const MP2RAGEPlugin: StagingPlugin = {
  name: "MP2RAGEPlugin",
  filter: (images) => images.filter(isMp2rage),
  async run(images, context) {
    const outputs: ImageFile[] = [];
    for (const group of groupImages(images, "study")) {
      const set = classify(group);
      if ("problem" in set) {
        context.log.warning(
          `${set.problem} (${group.map((image) => image.name).join(", ")}). Skipped.`,
        );
        continue;
      }
      const template = set.byKey.get(templateKey(set.kind)) as ImageFile;
      // The template gives the output's header and is one of the inputs: read it once.
      const templateImage = await readImage(template.path, { signal: context.signal });
      const load: Load = (image) =>
        image.path === template.path
          ? Promise.resolve(templateImage)
          : readImage(image.path, { signal: context.signal });
      const [re1, im1] = await inversion(set.kind, set.byKey, "INV1", load);
      const [re2, im2] = await inversion(set.kind, set.byKey, "INV2", load);
      const output = join(context.stageDir, `${template.stem}_uniden.nii.gz`);
      context.writeImage(
        output,
        imageLikeTemplate(templateImage.header, uniformImage(re1, im1, re2, im2)),
      );
      outputs.push(new ImageFile(output));
    }
    return outputs;
  },
  plan(images, context) {
    const outputs: PlannedOutput[] = [];
    const problems: string[] = [];
    for (const group of groupImages(images, "study")) {
      const planned = plannedUniden(group, context.stageDir);
      if ("problem" in planned) problems.push(planned.problem);
      else outputs.push(planned);
    }
    return { outputs, problems };
  },
};

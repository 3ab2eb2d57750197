// The best-resolution rules of the original (spec 5.2): among 3-D images the most isotropic
// (|1 - mean(AcquiredResolution) / SliceThickness| smallest), else the smallest slice spacing
// (SliceSpacing, or SliceThickness when it is null). Ties go to the first image in list order.
// Every candidate's numbers are kept so a plan can show why an image won.
import { type ImageFile, SidecarError } from "@radifox/naming";
import { errorMessage, StageError } from "./errors.js";

/** Which rule chose an image. */
export type ResolutionRule = "most-isotropic" | "smallest-slice-spacing" | "only-candidate";

/** The numbers one candidate was judged by (`null`: missing in its sidecar). */
export interface Candidate {
  path: string;
  acqdim: string;
  acquiredResolution: number[] | null;
  sliceThickness: number | null;
  sliceSpacing: number | null;
  /** |1 - mean(AcquiredResolution) / SliceThickness| (most-isotropic rule). */
  anisotropy?: number | null;
  /** SliceSpacing, else SliceThickness (smallest-slice-spacing rule). */
  spacing?: number | null;
  /** Why the sidecar could not be used, when it could not. */
  problem?: string;
}

export interface Choice {
  chosen: string;
  rule: ResolutionRule;
  candidates: Candidate[];
}

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function acqdimOf(image: ImageFile): string {
  try {
    return image.acqdim;
  } catch {
    return "";
  }
}

/** The sidecar facts of `image`; a missing or broken sidecar is reported in `problem`. */
export async function candidateFacts(image: ImageFile): Promise<Candidate> {
  const facts: Candidate = {
    path: image.path,
    acqdim: acqdimOf(image),
    acquiredResolution: null,
    sliceThickness: null,
    sliceSpacing: null,
  };
  try {
    const info = await image.readInfo();
    const read = (key: string) => (info.has(key) ? info.get(key) : null);
    const resolution = read("AcquiredResolution");
    facts.acquiredResolution =
      Array.isArray(resolution) && resolution.every((v) => numberOrNull(v) !== null)
        ? (resolution as number[])
        : null;
    facts.sliceThickness = numberOrNull(read("SliceThickness"));
    facts.sliceSpacing = numberOrNull(read("SliceSpacing"));
  } catch (error) {
    if (!(error instanceof SidecarError)) throw error;
    facts.problem = errorMessage(error);
  }
  return facts;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function anisotropy(facts: Candidate): number | null {
  const { acquiredResolution: res, sliceThickness: thickness } = facts;
  if (res === null || res.length === 0 || thickness === null || thickness === 0) return null;
  return Math.abs(1 - mean(res) / thickness);
}

/** Index of the smallest score; unknown scores (null) lose to every known one; ties: first. */
function argmin(scores: (number | null)[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) {
    const score = scores[i] ?? null;
    const current = scores[best] ?? null;
    if (score !== null && (current === null || score < current)) best = i;
  }
  return best;
}

function describeMissing(facts: Candidate, needs: string): string {
  return facts.problem ?? `${facts.path}: its sidecar has no usable ${needs}`;
}

/**
 * The original's `pick_most_isotropic`: a single image is itself; otherwise the smallest
 * anisotropy wins. Candidates whose sidecar lacks the numbers never win over one that has them
 * (the original crashes on them); `onProblem` hears about each.
 */
export async function pickMostIsotropic(
  images: readonly ImageFile[],
  onProblem?: (message: string) => void,
): Promise<Choice> {
  return pick(images, "most-isotropic", onProblem);
}

/** The original's `pick_smallest_slices` (SliceSpacing, else SliceThickness; stable). */
export async function pickSmallestSlices(
  images: readonly ImageFile[],
  onProblem?: (message: string) => void,
): Promise<Choice> {
  return pick(images, "smallest-slice-spacing", onProblem);
}

async function pick(
  images: readonly ImageFile[],
  rule: "most-isotropic" | "smallest-slice-spacing",
  onProblem?: (message: string) => void,
): Promise<Choice> {
  if (images.length === 0) {
    throw new StageError("E_STAGE_FAILED", "no images to choose from");
  }
  const candidates = await Promise.all(images.map(candidateFacts));
  if (images.length === 1) {
    return { chosen: (images[0] as ImageFile).path, rule: "only-candidate", candidates };
  }
  const scores = candidates.map((facts) => {
    const score =
      rule === "most-isotropic" ? anisotropy(facts) : (facts.sliceSpacing ?? facts.sliceThickness);
    if (rule === "most-isotropic") facts.anisotropy = score;
    else facts.spacing = score;
    if (score === null) {
      onProblem?.(
        describeMissing(
          facts,
          rule === "most-isotropic"
            ? "AcquiredResolution and SliceThickness"
            : "SliceSpacing or SliceThickness",
        ),
      );
    }
    return score;
  });
  return { chosen: (candidates[argmin(scores)] as Candidate).path, rule, candidates };
}

/** `--keep-best-res` on one filter's images: the most isotropic 3-D image, else the thinnest. */
export async function pickBest(
  images: readonly ImageFile[],
  onProblem?: (message: string) => void,
): Promise<Choice> {
  const threeD = images.filter((image) => acqdimOf(image) === "3D");
  return threeD.length > 0
    ? pickMostIsotropic(threeD, onProblem)
    : pickSmallestSlices(images, onProblem);
}

/** The image of `images` at `path`. */
export function chosenImage(images: readonly ImageFile[], choice: Choice): ImageFile {
  return images.find((image) => image.path === choice.chosen) as ImageFile;
}

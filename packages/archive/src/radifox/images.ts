// The images of a session's `nii/` folder and the scan ids they get.
import { join } from "node:path";
import { compareCodePoints, NameError, type ParsedName, parseName } from "@radifox/naming";
import { isFile, listDir, type Report } from "./tree.js";

/** Extensions that make a file in `nii/` an image. */
const IMAGE_EXTENSIONS = [".nii.gz", ".nii"] as const;

/** One image of `nii/`: the `.nii.gz` and/or `.nii` of one name, and its sidecar. */
export interface NiiImage {
  /** The scan id (see {@link assignScanIds}). */
  readonly id: string;
  readonly name: ParsedName;
  /** The image file whose header gives `frames` (the `.nii.gz`, else the `.nii`). */
  readonly image: string;
  /**
   * File names in `nii/` of the image: the `.nii.gz` and/or `.nii`, and any other
   * `<stem>.<ext>` but the sidecar (dcm2niix's `.bval`/`.bvec`), in code-point order.
   */
  readonly files: readonly string[];
  /** The sidecar's file name, if it exists. */
  readonly sidecar: string | undefined;
}

/** The stem of a file name: up to the first `.`, as RADIFOX reads names. */
const stemOf = (name: string) => {
  const dot = name.indexOf(".");
  return dot < 0 ? name : name.slice(0, dot);
};

/**
 * The images of `niiDir` in code-point order of their names, with their scan ids. Images whose
 * names `parseName` rejects are reported (`E_NAME_SYNTAX`) and skipped with their other files;
 * images without a sidecar are reported (`E_SIDECAR_MISSING`) and kept; files that belong to
 * no image are reported (`E_UNUSED_FILE`).
 */
export function listImages(niiDir: string, report: Report): NiiImage[] {
  const entries = listDir(niiDir, report);
  if (!entries) return [];
  const others: string[] = [];
  const rejected = new Set<string>();
  const byStem = new Map<string, { name: ParsedName; images: string[]; files: string[] }>();
  for (const entry of entries) {
    if (!isFile(entry, niiDir)) continue;
    if (!IMAGE_EXTENSIONS.some((ext) => entry.name.endsWith(ext))) {
      others.push(entry.name);
      continue;
    }
    let name: ParsedName;
    try {
      name = parseName(entry.name);
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      report({ path: join(niiDir, entry.name), code: error.code, message: error.message });
      rejected.add(stemOf(entry.name));
      continue;
    }
    // `x.nii` and `x.nii.gz` are one image; anything else ending so (`x.y.nii`) is refused
    // above, since parseName accepts only `.letters` extensions.
    const image = byStem.get(name.stem);
    if (image) image.images.push(entry.name);
    else byStem.set(name.stem, { name, images: [entry.name], files: [] });
  }
  const sidecars = new Set<string>();
  for (const file of others) {
    const stem = stemOf(file);
    const image = byStem.get(stem);
    // `ImageFile.infoPath`'s rule (the name with its extension replaced by `.json`) is, for
    // a name parseName accepts, the stem and `.json`.
    if (image && file === `${stem}.json`) sidecars.add(stem);
    else if (image) image.files.push(file);
    else if (!rejected.has(stem)) {
      report({
        path: join(niiDir, file),
        code: "E_UNUSED_FILE",
        message: "belongs to no image of nii/ (no .nii.gz or .nii of the same name)",
      });
    }
  }
  const images = [...byStem.values()].sort((a, b) => compareCodePoints(a.name.stem, b.name.stem));
  const ids = assignScanIds(images.map((image) => image.name));
  return images.map((image, i) => {
    const stem = image.name.stem;
    if (!sidecars.has(stem)) {
      report({
        path: join(niiDir, `${stem}.json`),
        code: "E_SIDECAR_MISSING",
        message: `the sidecar of ${image.images[0]} is missing`,
      });
    }
    return {
      id: ids[i] as string,
      name: image.name,
      image: image.images.find((f) => f.endsWith(".nii.gz")) ?? (image.images[0] as string),
      files: [...image.images, ...image.files].sort(compareCodePoints),
      sidecar: sidecars.has(stem) ? `${stem}.json` : undefined,
    };
  });
}

/**
 * Scan ids for the images of one session, in the same order:
 * 1. the image id (`01-03`) when no other image of the session has it;
 * 2. else the image id, `-` and the extras, then `_` and the tags if any (`01-03-ECHO1`,
 *    `01-03-ECHO1_n4`; an image without extras or tags keeps the plain image id);
 * 3. if that still leaves two alike, the image id, `-` and the whole image type
 *    (`01-03-BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE`), with the tags;
 * 4. any that are still alike get `-2`, `-3`, … in name order.
 */
export function assignScanIds(names: readonly ParsedName[]): string[] {
  const count = (key: (n: ParsedName) => string) => {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(key(name), (counts.get(key(name)) ?? 0) + 1);
    return counts;
  };
  const tagged = (base: string, name: ParsedName) =>
    name.tags.length > 0 ? `${base}_${name.tags.join("_")}` : base;
  const withExtras = (name: ParsedName) =>
    tagged(
      name.extras.length > 0 ? `${name.imageId}-${name.extras.join("-")}` : name.imageId,
      name,
    );
  const withType = (name: ParsedName) => tagged(`${name.imageId}-${name.imageType}`, name);

  const perImageId = count((n) => n.imageId);
  const clashing = new Set<string>();
  const extrasCounts = count(withExtras);
  for (const name of names) {
    if ((extrasCounts.get(withExtras(name)) ?? 0) > 1) clashing.add(name.imageId);
  }
  const ids = names.map((name) => {
    if (perImageId.get(name.imageId) === 1) return name.imageId;
    return clashing.has(name.imageId) ? withType(name) : withExtras(name);
  });
  const seen = new Map<string, number>();
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    return n === 1 ? id : `${id}-${n}`;
  });
}

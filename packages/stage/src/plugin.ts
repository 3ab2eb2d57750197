// The plugin interface of staging (spec 5.6): a plugin picks the images it handles out of a
// filter's matches and replaces them by what it makes of them (a MEMPRAGE echo sum, an MP2RAGE
// uniform image...). Outputs come first in the filter's list, so they win resolution ties.
import type { ImageFile } from "@radifox/naming";
import type { NiftiImage } from "@radifox/nifti";

/** How images are grouped into acquisitions. */
export type PluginGrouping = "series" | "study";

/** What a plugin's `run` receives besides the images. */
export interface PluginContext {
  /**
   * The session's stage folder being built. Write outputs here (it becomes `<session>/stage`
   * when the whole subject is staged; a failed run leaves nothing behind).
   */
  readonly stageDir: string;
  /** `series` (default) or `study` (the original's grouping; see `groupImages`). */
  readonly grouping: PluginGrouping;
  readonly log: { info(message: string): void; warning(message: string): void };
  readonly signal?: AbortSignal;
  /**
   * Hands over an image to be staged as `path` (in `stageDir`). Staging writes it only if it is
   * kept and needs no header fix first; otherwise it goes straight into its `_hdrfix` copy.
   * Returns the path.
   */
  writeImage(path: string, image: NiftiImage): string;
}

/** What `plan` predicts for a group of images, without reading or writing any data. */
export interface PlannedOutput {
  /** The output image (in `stageDir`, or an existing image used as is). */
  path: string;
  /** The images it is made from. */
  inputs: string[];
}

/** A staging plugin. Plugins are objects; the original's static classes map onto them. */
export interface StagingPlugin {
  /** Shown in logs and plans. */
  readonly name: string;
  /** The images of `images` this plugin handles (identity: return the same objects). */
  filter(images: readonly ImageFile[]): ImageFile[];
  /** Makes the outputs from the handled images (called even with an empty list). */
  run(images: readonly ImageFile[], context: PluginContext): Promise<ImageFile[]> | ImageFile[];
  /**
   * The outputs `run` would make, for `--plan`; a group that cannot be made is reported with a
   * `problem`. Plugins without it are shown as "outputs known after running".
   */
  plan?(
    images: readonly ImageFile[],
    context: Pick<PluginContext, "stageDir" | "grouping">,
  ): { outputs: PlannedOutput[]; problems: string[] };
}

/** Whether `value` has the shape of a plugin (for plugin files). */
export function isStagingPlugin(value: unknown): value is StagingPlugin {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Partial<StagingPlugin>;
  return (
    typeof candidate.name === "string" &&
    typeof candidate.filter === "function" &&
    typeof candidate.run === "function"
  );
}

function groupKey(image: ImageFile, grouping: PluginGrouping): string {
  return grouping === "study" ? image.studyNumber : image.imageId;
}

/**
 * Groups images into acquisitions, keeping first-appearance order. `series` groups by study and
 * series number (`01-03`): one acquisition. `study` is the original's `sort_by_series`, which
 * groups by study number only, so two MEMPRAGE series of one study are summed together.
 */
export function groupImages(
  images: readonly ImageFile[],
  grouping: PluginGrouping = "series",
): ImageFile[][] {
  const groups = new Map<string, ImageFile[]>();
  for (const image of images) {
    const key = groupKey(image, grouping);
    const group = groups.get(key);
    if (group) group.push(image);
    else groups.set(key, [image]);
  }
  return [...groups.values()];
}

/** The original's `sort_by_series` (grouping by study number). */
export function sortBySeries(images: readonly ImageFile[]): ImageFile[][] {
  return groupImages(images, "study");
}

/** A name component test that treats names lacking the component as "no match". */
export function safely(test: (image: ImageFile) => boolean): (image: ImageFile) => boolean {
  return (image) => {
    try {
      return test(image);
    } catch {
      return false;
    }
  };
}

// The per-filter selection of spec 5.2, shared by staging and by `--plan`: the filter's matches,
// then each plugin in order (its outputs first in the list), then with `--keep-best-res` the
// best image. Staging runs the plugins; a plan asks them what they would make.
import type { ImageFile, ImageFilter } from "@radifox/naming";
import type { StagingPlugin } from "./plugin.js";
import { type Choice, chosenImage, pickBest } from "./resolution.js";

/** One filter's part of a session's staging, for plans and results. */
export interface FilterOutcome {
  filter: string;
  /** Images the filter matched (before plugins). */
  matched: string[];
  /** Plugins that took images: what they took and what they made. */
  plugins: { plugin: string; inputs: string[]; outputs: string[] }[];
  /** The images left after plugins (outputs first). */
  candidates: string[];
  /** `--keep-best-res`: how the image was chosen. */
  choice?: Choice;
  /** The images this filter stages. */
  selected: string[];
}

/** The name of an image's header-fixed copy in `stage/` (the original's `<stem>_hdrfix`). */
export function hdrfixName(image: ImageFile): string {
  return `${image.stem}_hdrfix.nii.gz`;
}

export interface SelectionSteps {
  plugins: readonly StagingPlugin[];
  keepBestRes: boolean;
  /**
   * What plugin `index` makes of `taken` (called even with none, as the original does);
   * `undefined` when that is known only by running it (a plan of a plugin without `plan`).
   */
  runPlugin(
    index: number,
    plugin: StagingPlugin,
    taken: ImageFile[],
  ): Promise<ImageFile[] | undefined>;
  /** The image as it is judged and reported (a plugin output: its place in `stage/`). */
  view(image: ImageFile): ImageFile;
  /** Something to warn about (a name a filter cannot check, a sidecar without numbers). */
  onProblem(message: string): void;
  /** A candidate already in `stage/` that lost the best-image choice. */
  onDiscard?(view: ImageFile): void;
}

/** The images `filter` selects from `images`, and how; `undefined` when it matches nothing. */
export async function selectForFilter(
  filter: ImageFilter,
  images: readonly ImageFile[],
  steps: SelectionSteps,
): Promise<{ outcome: FilterOutcome; selected: ImageFile[] } | undefined> {
  const { matched, invalid } = filter.partition(images);
  for (const { image, error } of invalid) {
    steps.onProblem(
      `${image.path} cannot be checked against ${filter.toString()}: ${error.message}`,
    );
  }
  if (matched.length === 0) return undefined;
  let current: ImageFile[] = matched;
  const outcome: FilterOutcome = {
    filter: filter.toString(),
    matched: matched.map((image) => image.path),
    plugins: [],
    candidates: [],
    selected: [],
  };
  for (const [index, plugin] of steps.plugins.entries()) {
    const taken = plugin.filter(current);
    const others = current.filter((image) => !taken.includes(image));
    const made = await steps.runPlugin(index, plugin, taken);
    if (taken.length > 0) {
      outcome.plugins.push({
        plugin: plugin.name,
        inputs: taken.map((image) => image.path),
        outputs: (made ?? []).map((image) => steps.view(image).path),
      });
    }
    current = [...(made ?? []), ...others];
  }
  outcome.candidates = current.map((image) => steps.view(image).path);
  if (steps.keepBestRes && current.length > 0) {
    const views = current.map((image) => steps.view(image));
    const choice = await pickBest(views, steps.onProblem);
    const best = chosenImage(views, choice);
    for (const view of views) if (view !== best) steps.onDiscard?.(view);
    outcome.choice = choice;
    current = [current[views.indexOf(best)] as ImageFile];
  }
  outcome.selected = current.map((image) => steps.view(image).path);
  return { outcome, selected: current };
}

// The conversion plan: every output file with its source and the reason for its name, every
// input left out with the reason, and the findings. Sources (XNAT folders, RADIFOX studies)
// make plans; `applyPlan` carries them out; `--dry-run` prints them.

/** How sure a finding is to matter: errors stop the conversion, warnings and notes do not. */
export type Severity = "error" | "warning" | "info";

/** Something the conversion or the check noticed, with the path it is about. */
export interface Finding {
  readonly severity: Severity;
  /** A stable code (`SKIPPED_NAME`, `DUPLICATE_TARGET`, …). */
  readonly code: string;
  readonly message: string;
  /** The file or folder it is about (an input path, or a path relative to the output). */
  readonly path?: string;
}

/** One file of the output dataset. */
export interface PlannedFile {
  /** Path relative to the output folder, with `/` separators. */
  readonly target: string;
  /** The input file it is linked or copied from; absent for generated content. */
  readonly source?: string;
  /** Generated content (a converted sidecar), written instead of linking `source`. */
  readonly content?: string;
  /** Why it is here under this name, for the dry-run table. */
  readonly why: string;
  /** The subject and session labels (without `sub-`/`ses-`) it belongs to. */
  readonly subject: string;
  readonly session?: string;
}

/** An input left out of the dataset. */
export interface SkippedInput {
  /** The input file or folder. */
  readonly source: string;
  /**
   * The BIDS base name it would have had (the sidecar's name without `.json`), when it has
   * one; the vectors' `skipped` lists these.
   */
  readonly base?: string;
  readonly reason: string;
}

/** A dataset_description.json found in the input. */
export interface DescriptionSource {
  readonly path: string;
}

/** What a source makes of its input. */
export interface ConversionPlan {
  /** What the input was taken to be. */
  readonly input: InputKind;
  readonly files: readonly PlannedFile[];
  readonly skipped: readonly SkippedInput[];
  readonly findings: readonly Finding[];
  /**
   * How many inputs the source took for data, converted or skipped (XNAT: BIDS sidecars;
   * RADIFOX: images). None means the input holds no data at all, which is an error.
   */
  readonly found: number;
  /** dataset_description.json files of the input, in the order they were met. */
  readonly descriptions: readonly DescriptionSource[];
}

/** `xnat-session`: one session folder; `xnat-sessions`: a folder of them; `radifox`: a study. */
export type InputKind = "xnat-session" | "xnat-sessions" | "radifox";

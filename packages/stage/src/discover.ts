// Session discovery (spec 5.1): every folder of the subject (name order, hidden ones too) is a
// session; its images are the `.nii.gz` beside each `nii/*.json` sidecar, newest name first,
// without `ND` (non-distortion-corrected) images. Sessions already staged are refused, or
// skipped with `--update` (their `stage/subject-target` then gives the subject target).
import { existsSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { compareCodePoints, ImageFile, NameError, pythonReplace } from "@radifox/naming";
import { StageError } from "./errors.js";

export interface DiscoveredSession {
  /** The session folder. */
  dir: string;
  /** Its images, descending by name. */
  images: ImageFile[];
}

export interface Discovery {
  subjectDir: string;
  /** Sessions to stage, in name order. */
  sessions: DiscoveredSession[];
  /** Sessions left alone because they are already staged (`update`). */
  alreadyStaged: string[];
  /** The subject target found in an already staged session (`update`), if any. */
  subjectTarget: ImageFile | null;
  /** What the original reports with Python warnings (and names that cannot be images). */
  warnings: string[];
}

const isDirectory = (path: string) =>
  stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );

/** Images of one session: sidecar-driven, ND dropped, descending by name. */
export async function sessionImages(
  session: string,
  warnings: string[] = [],
): Promise<ImageFile[]> {
  let names: string[];
  try {
    names = await readdir(join(session, "nii"));
  } catch {
    return [];
  }
  const images: ImageFile[] = [];
  for (const name of names) {
    if (name.startsWith(".") || !name.endsWith(".json")) continue;
    const image = new ImageFile(join(session, "nii", pythonReplace(name, ".json", ".nii.gz")));
    try {
      if (image.extras.includes("ND")) continue;
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      warnings.push(`${image.path} is not a RADIFOX image name (${error.message}); ignored.`);
      continue;
    }
    images.push(image);
  }
  // Python's sorted(..., reverse=True) by name: descending code points.
  return images.sort((a, b) => compareCodePoints(b.name, a.name));
}

/**
 * Finds the sessions of `subjectDir` to stage. Throws `StageError` with the original's messages:
 * `E_STAGE_NO_SUBJECT`, `E_STAGE_ALREADY_STAGED`, `E_STAGE_NO_IMAGES`.
 */
export async function discoverSessions(
  subjectDir: string,
  options: { update?: boolean } = {},
): Promise<Discovery> {
  if (!(await isDirectory(subjectDir))) {
    throw new StageError(
      "E_STAGE_NO_SUBJECT",
      `Subject directory (${subjectDir}) does not exist.`,
      { path: subjectDir },
    );
  }
  const entries = (await readdir(subjectDir)).sort(compareCodePoints);
  const discovery: Discovery = {
    subjectDir,
    sessions: [],
    alreadyStaged: [],
    subjectTarget: null,
    warnings: [],
  };
  for (const entry of entries) {
    const dir = join(subjectDir, entry);
    if (!(await isDirectory(dir))) continue;
    if (existsSync(join(dir, "stage"))) {
      if (!options.update) {
        throw new StageError(
          "E_STAGE_ALREADY_STAGED",
          'Session has already been staged. Use "--update" to skip existing.',
          { path: dir },
        );
      }
      const link = join(dir, "stage", "subject-target");
      if (discovery.subjectTarget === null && existsSync(link)) {
        discovery.subjectTarget = new ImageFile(await realpath(link));
      }
      discovery.alreadyStaged.push(dir);
      continue;
    }
    const images = await sessionImages(dir, discovery.warnings);
    if (images.length > 0) discovery.sessions.push({ dir, images });
  }
  if (discovery.sessions.length === 0) {
    throw new StageError("E_STAGE_NO_IMAGES", "No images found for this subject.", {
      path: subjectDir,
    });
  }
  if (options.update && discovery.subjectTarget === null) {
    discovery.warnings.push(
      "No subject target found for updating. Subject target will be attempted from registration filters if provided.",
    );
  }
  return discovery;
}

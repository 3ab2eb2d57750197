// Streaming scan of a RADIFOX output root, project, subject or session folder: sessions are yielded one by
// one, in name order, while the next ones are read in parallel. A file or folder that cannot
// be used is reported with the session and never stops the scan.
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { NameError, StudyFileError } from "./errors.js";
import { ImageFile } from "./image-file.js";
import { parseName } from "./name.js";
import { mapOrdered } from "./ordered-map.js";
import { compareCodePoints } from "./python-text.js";

/**
 * What the scanned folder is: a session, a subject (of sessions), a project (of subjects) or
 * an output root (of projects); `auto` decides from its contents.
 */
export type ScanLevel = "auto" | "root" | "project" | "subject" | "session";

export interface ScanOptions {
  /**
   * Default `auto`: the folder is a session if it holds one of `folders`, a subject if its
   * sub-folders do, and so on up to an output root of projects (sampled, not listed in full).
   */
  level?: ScanLevel;
  /** Session sub-folders to read. Default `["nii"]`. */
  folders?: readonly string[];
  /** File name endings that count as images. Default `[".nii.gz", ".nii"]`. */
  extensions?: readonly string[];
  /** Also scan entries whose name starts with `.` (such as `.old` sessions). Default false. */
  includeHidden?: boolean;
  /** Report names that `parseName` rejects as problems (the image is still listed). Default true. */
  validateNames?: boolean;
  /** Directory reads in flight at once. Default 16. */
  concurrency?: number;
  /** Called after each session with running totals. */
  onProgress?: (progress: ScanProgress) => void;
  signal?: AbortSignal;
}

export interface ScanProgress {
  sessions: number;
  images: number;
  problems: number;
}

/** Something in the tree that could not be used, with the reason. */
export interface ScanProblem {
  path: string;
  /** `E_SCAN_READ` (unreadable folder) or a `NameError` code (`E_NAME_SYNTAX`). */
  code: string;
  message: string;
}

/**
 * One session of the scan. A folder above the sessions that cannot be read is reported as an
 * entry with `session: ""`, that folder's name as `subject`, no images and the problem, so one
 * stream carries everything.
 */
export interface SessionScan {
  /** The subject folder's name. */
  subject: string;
  /** The session folder's name; `""` for an unreadable subject or project folder. */
  session: string;
  dir: string;
  /** Images of the scanned folders, sorted by name (code point order). */
  images: ImageFile[];
  problems: ScanProblem[];
}

const DEFAULTS = {
  folders: ["nii"],
  extensions: [".nii.gz", ".nii"],
  concurrency: 16,
} as const;

interface Listing {
  entries: Dirent[];
  problem?: ScanProblem;
}

async function list(dir: string): Promise<Listing> {
  try {
    return { entries: await readdir(dir, { withFileTypes: true }) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { entries: [] };
    const reason = code ? `${code}: ${(error as Error).message}` : String(error);
    return {
      entries: [],
      problem: { path: dir, code: "E_SCAN_READ", message: `cannot read folder (${reason})` },
    };
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function visible(name: string, includeHidden: boolean): boolean {
  return includeHidden || !name.startsWith(".");
}

/** Child folders of `dir` in name order (symbolic links to folders included). */
async function childDirs(
  dir: string,
  includeHidden: boolean,
): Promise<Listing & { dirs: string[] }> {
  const listing = await list(dir);
  const names: string[] = [];
  for (const entry of listing.entries) {
    if (!visible(entry.name, includeHidden)) continue;
    if (
      entry.isDirectory() ||
      (entry.isSymbolicLink() && (await isDirectory(join(dir, entry.name))))
    ) {
      names.push(entry.name);
    }
  }
  return { ...listing, dirs: names.sort(compareCodePoints) };
}

// How far below the scanned folder the session folders are.
const DEPTH = { session: 0, subject: 1, project: 2, root: 3 } as const;
const LEVELS = ["session", "subject", "project", "root"] as const;

/**
 * The level of `dir`: the depth at which session folders (folders holding one of `folders`)
 * appear, found by sampling a few entries per level rather than listing everything.
 */
async function detectLevel(
  dir: string,
  folders: readonly string[],
): Promise<Exclude<ScanLevel, "auto">> {
  const isSession = async (path: string) =>
    (await Promise.all(folders.map((f) => isDirectory(join(path, f))))).some(Boolean);
  let frontier = [dir];
  for (const level of LEVELS) {
    if ((await Promise.all(frontier.map(isSession))).some(Boolean)) return level;
    const children = await Promise.all(
      frontier.map(async (d) =>
        (await childDirs(d, false)).dirs.slice(0, 8).map((n) => join(d, n)),
      ),
    );
    frontier = children.flat().slice(0, 64);
  }
  return "project";
}

interface SessionRef {
  dir: string;
  /** Set when `dir` is a folder above the sessions that could not be listed. */
  unreadable?: ScanProblem;
}

/**
 * Scan a RADIFOX output root, project, subject or session folder and yield every session with
 * its images.
 * Throws `StudyFileError` (`E_STUDY_READ`) only when `dir` itself is not a readable folder.
 */
export async function* scanStudy(
  dir: string,
  options: ScanOptions = {},
): AsyncGenerator<SessionScan> {
  const root = resolve(dir);
  if (!(await isDirectory(root))) {
    throw new StudyFileError("E_STUDY_READ", `${root} is not a folder`, { path: root });
  }
  const folders = options.folders ?? DEFAULTS.folders;
  const extensions = options.extensions ?? DEFAULTS.extensions;
  const includeHidden = options.includeHidden ?? false;
  const validate = options.validateNames ?? true;
  const limit = options.concurrency ?? DEFAULTS.concurrency;
  const level =
    options.level && options.level !== "auto" ? options.level : await detectLevel(root, folders);

  // Session folders `depth` levels below `dir`, in name order; the next level is listed ahead
  // in parallel (only folder names are buffered, never images).
  async function* sessionRefs(dir: string, depth: number): AsyncGenerator<SessionRef> {
    if (depth === 0) {
      yield { dir };
      return;
    }
    const { dirs, problem } = await childDirs(dir, includeHidden);
    if (problem) yield { dir, unreadable: problem };
    if (depth === 1) {
      for (const name of dirs) yield { dir: join(dir, name) };
      return;
    }
    const nested = mapOrdered(dirs, limit, async (name) => {
      const refs: SessionRef[] = [];
      for await (const ref of sessionRefs(join(dir, name), depth - 1)) refs.push(ref);
      return refs;
    });
    for await (const refs of nested) yield* refs;
  }

  async function scanSession(ref: SessionRef): Promise<SessionScan> {
    if (ref.unreadable) {
      const folder = basename(ref.dir);
      return { subject: folder, session: "", dir: ref.dir, images: [], problems: [ref.unreadable] };
    }
    const problems: ScanProblem[] = [];
    const images: ImageFile[] = [];
    const listings = await Promise.all(folders.map((f) => list(join(ref.dir, f))));
    for (const [i, listing] of listings.entries()) {
      if (listing.problem) problems.push(listing.problem);
      const folder = join(ref.dir, folders[i] ?? "");
      for (const entry of listing.entries) {
        const name = entry.name;
        if (entry.isDirectory() || !visible(name, includeHidden)) continue;
        if (!extensions.some((ext) => name.endsWith(ext))) continue;
        const image = new ImageFile(join(folder, name));
        images.push(image);
        const problem = validate ? nameProblem(image) : undefined;
        if (problem) problems.push(problem);
      }
    }
    images.sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.path, b.path));
    const subject = basename(dirname(ref.dir));
    return { subject, session: basename(ref.dir), dir: ref.dir, images, problems };
  }

  const progress: ScanProgress = { sessions: 0, images: 0, problems: 0 };
  for await (const session of mapOrdered(sessionRefs(root, DEPTH[level]), limit, scanSession)) {
    options.signal?.throwIfAborted();
    progress.sessions++;
    progress.images += session.images.length;
    progress.problems += session.problems.length;
    options.onProgress?.({ ...progress });
    yield session;
  }
}

function nameProblem(image: ImageFile): ScanProblem | undefined {
  try {
    parseName(image.name);
    return undefined;
  } catch (error) {
    if (!(error instanceof NameError)) throw error;
    return { path: image.path, code: error.code, message: error.message };
  }
}

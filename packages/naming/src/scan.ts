// Streaming scan of a RADIFOX output root, project, subject or session folder: sessions are
// yielded one by one, in name order, while the next ones are read in parallel. A file or
// folder that cannot be used is reported with the session and never stops the scan.
import type { Dirent } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { Limiter, mapOrdered } from "./concurrency.js";
import { NameError, NamingError, StudyFileError } from "./errors.js";
import { ImageFile } from "./image-file.js";
import { parseName } from "./name.js";
import { compareCodePoints } from "./python-text.js";

/**
 * What the scanned folder is: a session, a subject (of sessions), a project (of subjects) or
 * an output root (of projects); `auto` decides from its contents.
 */
export type ScanLevel = "auto" | "root" | "project" | "subject" | "session";

export interface ScanOptions {
  /**
   * Default `auto`: the level at which folders holding one of `folders` appear (the scanned
   * folder itself, its sub-folders, and so on down to an output root of projects).
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
  /** File-system calls in flight at once, for the whole scan. Default 16. */
  concurrency?: number;
  /** Called after each session with running totals. */
  onProgress?: (progress: ScanProgress) => void;
  /** Aborting stops the scan: the iteration rejects with the signal's reason. */
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
  /** Images of the scanned folders, in path order (pathlib order, as `sorted()` in Python). */
  images: ImageFile[];
  problems: ScanProblem[];
}

const DEFAULTS = {
  folders: ["nii"],
  extensions: [".nii.gz", ".nii"],
  concurrency: 16,
} as const;

// How far below the scanned folder the session folders are.
const DEPTH = { session: 0, subject: 1, project: 2, root: 3 } as const;
const LEVELS = ["session", "subject", "project", "root"] as const;
type Level = (typeof LEVELS)[number];

interface Listing {
  entries: Dirent[];
  problem?: ScanProblem;
}

interface SessionRef {
  dir: string;
  /** Set when `dir` is a folder above the sessions that could not be listed. */
  unreadable?: ScanProblem;
}

const visible = (name: string, includeHidden: boolean) => includeHidden || !name.startsWith(".");

function checkOptions(options: ScanOptions): void {
  const limit = options.concurrency ?? DEFAULTS.concurrency;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new NamingError(
      "E_SCAN_OPTIONS",
      `concurrency must be a whole number >= 1, not ${limit}`,
    );
  }
  if (options.level !== undefined && options.level !== "auto" && !(options.level in DEPTH)) {
    throw new NamingError("E_SCAN_OPTIONS", `unknown level "${options.level}"`);
  }
  if ((options.folders ?? DEFAULTS.folders).length === 0) {
    throw new NamingError("E_SCAN_OPTIONS", "folders must name at least one session folder");
  }
}

/** File-system reads of one scan, all through one limiter. */
class TreeReader {
  readonly #limiter: Limiter;
  readonly #includeHidden: boolean;

  constructor(limiter: Limiter, includeHidden: boolean) {
    this.#limiter = limiter;
    this.#includeHidden = includeHidden;
  }

  /** Entries of a folder; a folder that cannot be read is a problem, one that is absent is empty. */
  async list(dir: string): Promise<Listing> {
    try {
      return { entries: await this.#limiter.run(() => readdir(dir, { withFileTypes: true })) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === undefined) throw error; // an abort, not a file-system error
      if (code === "ENOENT") return { entries: [] };
      const problem = {
        path: dir,
        code: "E_SCAN_READ",
        message: `cannot read folder (${(error as Error).message})`,
      };
      return { entries: [], problem };
    }
  }

  async isDirectory(path: string): Promise<boolean> {
    try {
      return (await this.#limiter.run(() => stat(path))).isDirectory();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === undefined) throw error;
      return false;
    }
  }

  /** Sub-folders of `dir` in name order (symbolic links to folders included). */
  async childDirs(dir: string): Promise<{ dirs: string[]; problem?: ScanProblem }> {
    const listing = await this.list(dir);
    const dirs: string[] = [];
    for (const entry of listing.entries) {
      if (!visible(entry.name, this.#includeHidden)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && (await this.isDirectory(path)))) {
        dirs.push(entry.name);
      }
    }
    dirs.sort(compareCodePoints);
    return listing.problem ? { dirs, problem: listing.problem } : { dirs };
  }

  /** Whether `dir` holds one of the session folders. */
  async isSession(dir: string, folders: readonly string[]): Promise<boolean> {
    return (await Promise.all(folders.map((f) => this.isDirectory(join(dir, f))))).some(Boolean);
  }
}

async function assertReadableFolder(root: string): Promise<void> {
  try {
    await readdir(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" || code === "ENOTDIR"
        ? "is not a folder"
        : `cannot be read (${(error as Error).message})`;
    throw new StudyFileError("E_STUDY_READ", `${root} ${reason}`, { path: root, cause: error });
  }
}

/**
 * The level of `root`: the depth at which session folders appear. A few entries per level are
 * looked at first (cheap on large trees); only if that finds nothing is every folder looked at.
 */
async function detectLevel(
  root: string,
  folders: readonly string[],
  tree: TreeReader,
): Promise<Level> {
  for (const perFolder of [8, Number.POSITIVE_INFINITY]) {
    let frontier = [root];
    for (const level of LEVELS) {
      const found = await Promise.all(frontier.map((dir) => tree.isSession(dir, folders)));
      if (found.some(Boolean)) return level;
      const children = await Promise.all(
        frontier.map(async (dir) =>
          (await tree.childDirs(dir)).dirs.slice(0, perFolder).map((n) => join(dir, n)),
        ),
      );
      frontier = children.flat();
      if (frontier.length === 0) break;
    }
  }
  const hint = folders.includes(basename(root))
    ? `; ${root} is a session's ${basename(root)}/ folder: scan ${dirname(root)}`
    : "; give the level, or the session folders to look for";
  throw new StudyFileError(
    "E_STUDY_LAYOUT",
    `no session folders (holding ${folders.join("/ or ")}/) in ${root} or three levels below${hint}`,
    { path: root },
  );
}

/**
 * Scan a RADIFOX output root, project, subject or session folder and yield every session with
 * its images. Throws `StudyFileError` when `dir` is not a readable folder (`E_STUDY_READ`) or
 * holds no sessions at any level (`E_STUDY_LAYOUT`, only when `level` is `auto`), and
 * `NamingError` `E_SCAN_OPTIONS` for unusable options.
 */
export async function* scanStudy(
  dir: string,
  options: ScanOptions = {},
): AsyncGenerator<SessionScan> {
  checkOptions(options);
  const root = resolve(dir);
  const folders = options.folders ?? DEFAULTS.folders;
  const extensions = options.extensions ?? DEFAULTS.extensions;
  const includeHidden = options.includeHidden ?? false;
  const validate = options.validateNames ?? true;
  const limit = options.concurrency ?? DEFAULTS.concurrency;
  // Stops reads still queued when the caller aborts or stops iterating early.
  const stop = new AbortController();
  const forwardAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", forwardAbort, { once: true });
  const tree = new TreeReader(new Limiter(limit, stop.signal), includeHidden);

  // Session folders `depth` levels below `dir`, in name order. Sessions of the next few
  // subjects are listed ahead in parallel; projects are walked one after the other.
  async function* sessionRefs(dir: string, depth: number): AsyncGenerator<SessionRef> {
    if (depth === 0) {
      yield { dir };
      return;
    }
    const { dirs, problem } = await tree.childDirs(dir);
    if (problem) yield { dir, unreadable: problem };
    if (depth === 1) {
      for (const name of dirs) yield { dir: join(dir, name) };
    } else if (depth === 2) {
      const listings = mapOrdered(dirs, limit, async (name) => {
        const refs: SessionRef[] = [];
        for await (const ref of sessionRefs(join(dir, name), 1)) refs.push(ref);
        return refs;
      });
      for await (const refs of listings) yield* refs;
    } else {
      for (const name of dirs) yield* sessionRefs(join(dir, name), depth - 1);
    }
  }

  async function scanSession(ref: SessionRef): Promise<SessionScan> {
    if (ref.unreadable) {
      return {
        subject: basename(ref.dir),
        session: "",
        dir: ref.dir,
        images: [],
        problems: [ref.unreadable],
      };
    }
    const problems: ScanProblem[] = [];
    const images: ImageFile[] = [];
    const listings = await Promise.all(folders.map((f) => tree.list(join(ref.dir, f))));
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
    images.sort(ImageFile.compare);
    return {
      subject: basename(dirname(ref.dir)),
      session: basename(ref.dir),
      dir: ref.dir,
      images,
      problems,
    };
  }

  try {
    options.signal?.throwIfAborted();
    await assertReadableFolder(root);
    const level =
      options.level && options.level !== "auto"
        ? options.level
        : await detectLevel(root, folders, tree);
    const progress: ScanProgress = { sessions: 0, images: 0, problems: 0 };
    for await (const session of mapOrdered(sessionRefs(root, DEPTH[level]), limit, scanSession)) {
      options.signal?.throwIfAborted();
      progress.sessions++;
      progress.images += session.images.length;
      progress.problems += session.problems.length;
      options.onProgress?.({ ...progress });
      yield session;
    }
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
    stop.abort();
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

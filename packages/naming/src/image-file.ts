// A file of a RADIFOX study: its path plus its name read lazily, component by component, with
// the original ImageFile's rules (so existing, even odd, names read the same way).
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { NameError, type NamePart, NamingError, SidecarError, StudyFileError } from "./errors.js";
import { checkTag, type ParsedName, parseName } from "./name.js";
import { extrasStart, SLOTS, type Slot, slotEnds, slotStart } from "./name-offsets.js";
import {
  comparePaths,
  pathExtension,
  pathSuffixes,
  pythonRealpath,
  RealpathResolver,
} from "./python-path.js";
import { pythonReplace } from "./python-text.js";
import { readSeriesInfo, readSeriesInfoSync, type SeriesInfo } from "./series-info.js";
import { leadingPieces, pieceAt, pieceCount } from "./split-reader.js";

/** Internal: in-place comparison of a name component, for `ImageFilter`. */
export const componentEquals = Symbol("componentEquals");

const NO_ITEMS: readonly string[] = Object.freeze([]);
const SLOT_PARTS = Object.keys(SLOTS) as (keyof typeof SLOTS)[];

/** Session sub-folders that hold images directly (`<session>/<folder>/<image>`). */
export const IMAGE_FOLDERS = ["nii", "proc", "stage", "tmp"] as const;

// Absolute paths without `.`/`..` components, `//` or a trailing `/` are already what
// `path.resolve` would return; skipping it makes building large lists of ImageFiles cheap.
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|.\/$/;

function normalise(path: string): string {
  return path.startsWith("/") && !NOT_NORMAL.test(path) ? path : resolve(path);
}

/**
 * A path in a RADIFOX study with its name components.
 *
 * The path is made absolute and normalised (`.`, `..`, trailing `/`) without touching the file
 * system; use `ImageFile.real()` to also follow symbolic links as Python's `Path.resolve()`
 * does. Two `ImageFile`s are equal when their paths are (`equals`, `key`).
 *
 * Name properties are read on first use. A component the name does not have throws
 * `NameError` (`E_NAME_MISSING`) when read, like the original's `IndexError`; `extras` and
 * `tags` are `[]` when the name has the image type but no extras or tags.
 */
export class ImageFile {
  /** Absolute, normalised path. */
  readonly path: string;
  // The stem and where each of its components lies are found on first use and kept; a
  // component is cut out when read, and filters compare it in place without cutting.
  #stem: string | undefined;
  #ends: number[] | undefined;
  #extras: readonly string[] | undefined;
  #tags: readonly string[] | undefined;
  #info: SeriesInfo | undefined;

  constructor(path: string) {
    this.path = normalise(path);
  }

  /**
   * An `ImageFile` whose path has symbolic links resolved the way Python's `Path.resolve()`
   * does (components that do not exist are kept as written).
   */
  static real(path: string): ImageFile {
    return new ImageFile(pythonRealpath(path));
  }

  /**
   * `ImageFile.real` for many paths at once, sharing what it learns about each folder (one
   * lstat per distinct folder instead of one per path component).
   */
  static realAll(paths: Iterable<string>): ImageFile[] {
    const resolver = new RealpathResolver();
    return Array.from(paths, (path) => new ImageFile(resolver.resolve(path)));
  }

  /** Order of `sorted()` in the original: path components compared by code point. */
  static compare(a: ImageFile, b: ImageFile): number {
    return comparePaths(a.path, b.path);
  }

  get name(): string {
    return this.path.slice(this.path.lastIndexOf("/") + 1);
  }

  /** The name up to its first `.` (unlike `path.parse().name`, which cuts at the last). */
  get stem(): string {
    if (this.#stem === undefined) {
      const name = this.name;
      const dot = name.indexOf(".");
      this.#stem = dot < 0 ? name : name.slice(0, dot);
    }
    return this.#stem;
  }

  /** Python pathlib suffixes: `['.nii', '.gz']`; leading dots ignored; none if the name ends in `.`. */
  get suffixes(): string[] {
    return pathSuffixes(this.name);
  }

  /** The suffixes joined: `.nii.gz`, `.json`; `.0.nii.gz` for a name with a dotted extra. */
  get ext(): string {
    return pathExtension(this.name);
  }

  /** The directory holding the file. */
  get parent(): string {
    return dirname(this.path);
  }

  /** The session folder, for files directly in `nii/`, `proc/`, `stage/` or `tmp/`. */
  get sessionDir(): string {
    const folder = basename(this.parent);
    if (!(IMAGE_FOLDERS as readonly string[]).includes(folder)) {
      throw new StudyFileError(
        "E_STUDY_LAYOUT",
        `${this.path} is not in a session's ${IMAGE_FOLDERS.join("/, ")}/ folder`,
        { path: this.path },
      );
    }
    return dirname(this.parent);
  }

  /** Use as a `Map`/`Set` key: equal for equal paths. */
  get key(): string {
    return this.path;
  }

  equals(other: ImageFile | string): boolean {
    return this.path === (typeof other === "string" ? resolve(other) : other.path);
  }

  compareTo(other: ImageFile): number {
    return comparePaths(this.path, other.path);
  }

  isRelativeTo(dir: string): boolean {
    const rel = relative(resolve(dir), this.path);
    return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
  }

  /** The path relative to `dir`; throws `NamingError` `E_PATH_NOT_RELATIVE` if it is not inside. */
  relativeTo(dir: string): string {
    if (!this.isRelativeTo(dir)) {
      throw new NamingError("E_PATH_NOT_RELATIVE", `${this.path} is not inside ${resolve(dir)}`);
    }
    return relative(resolve(dir), this.path);
  }

  // --- name components (lenient, lazily parsed) ---

  #missing(part: NamePart, what: string): NameError {
    return new NameError("E_NAME_MISSING", `${this.name} has no ${what}`, {
      part,
      fileName: this.name,
      index: this.stem.length,
    });
  }

  #slotEnds(): number[] {
    this.#ends ??= slotEnds(this.stem);
    return this.#ends;
  }

  // A component is cut out of the name each time it is read; only its position is kept.
  #slot(slot: Slot, part: NamePart): string {
    const ends = this.#slotEnds();
    const end = ends[slot] ?? -1;
    if (end < 0) throw this.#missingSlot(slot, part);
    return this.stem.slice(slotStart(ends, slot), end);
  }

  #missingSlot(slot: Slot, part: NamePart): NameError {
    if (slot < SLOTS.bodypart || (this.#slotEnds()[SLOTS.imageType] ?? -1) < 0) {
      const what = { subjectId: "subject id", sessionId: "session id", imageId: "image id" }[
        part as string
      ];
      return this.#missing(part, what ?? "image type");
    }
    const count = pieceCount(this.imageType, "-");
    return this.#missing(part, `${part} (its image type has ${count} of 6 components)`);
  }

  /**
   * Whether a component equals `value`, compared in place (no string is cut out). Used by
   * `ImageFilter`; throws `NameError` like the property when the component is missing.
   */
  [componentEquals](slot: Slot, value: string): boolean {
    const ends = this.#slotEnds();
    const end = ends[slot] ?? -1;
    if (end < 0) throw this.#missingSlot(slot, SLOT_PARTS[slot] as NamePart);
    const start = slotStart(ends, slot);
    if (end - start !== value.length) return false;
    // Components are short: a code-unit loop beats startsWith(value, start) here.
    const stem = this.stem;
    for (let i = 0; i < value.length; i++) {
      if (stem.charCodeAt(start + i) !== value.charCodeAt(i)) return false;
    }
    return true;
  }

  get subjectId(): string {
    return this.#slot(SLOTS.subjectId, "subjectId");
  }

  get sessionId(): string {
    return this.#slot(SLOTS.sessionId, "sessionId");
  }

  /** `<study>-<series>`, e.g. `01-03`. */
  get imageId(): string {
    return this.#slot(SLOTS.imageId, "imageId");
  }

  /** The study counter of the image id (`01` of `01-03`). */
  get studyNumber(): string {
    const id = this.imageId;
    const dash = id.indexOf("-");
    return dash < 0 ? id : id.slice(0, dash);
  }

  /** The series counter of the image id (`03` of `01-03`). */
  get seriesNumber(): string {
    const value = pieceAt(this.imageId, "-", 1);
    if (value === undefined) throw this.#missing("seriesNumber", "series number in its image id");
    return value;
  }

  /**
   * The original's `series_id`, which returns the **study** number (`01` of `01-03`) despite its
   * name. Kept for code ported from Python; use `studyNumber` or `seriesNumber`.
   * @deprecated
   */
  get seriesId(): string {
    return this.studyNumber;
  }

  /** The whole type field including extras: `BRAIN-T1-IRFSPGR-3D-SAGITTAL-PRE-ECHO1`. */
  get imageType(): string {
    return this.#slot(SLOTS.imageType, "imageType");
  }

  get bodypart(): string {
    return this.#slot(SLOTS.bodypart, "bodypart");
  }

  get modality(): string {
    return this.#slot(SLOTS.modality, "modality");
  }

  get technique(): string {
    return this.#slot(SLOTS.technique, "technique");
  }

  get acqdim(): string {
    return this.#slot(SLOTS.acqdim, "acqdim");
  }

  get orientation(): string {
    return this.#slot(SLOTS.orientation, "orientation");
  }

  get excontrast(): string {
    return this.#slot(SLOTS.excontrast, "excontrast");
  }

  /** Type components after the sixth (`ECHO1`, `MAG`); `[]` if none; throws without an image type. */
  get extras(): readonly string[] {
    if (this.#extras === undefined) {
      const ends = this.#slotEnds();
      const typeEnd = ends[SLOTS.imageType] ?? -1;
      if (typeEnd < 0) throw this.#missing("extras", "image type");
      const start = extrasStart(ends);
      this.#extras =
        start < 0 ? NO_ITEMS : Object.freeze(this.stem.slice(start, typeEnd).split("-"));
    }
    return this.#extras;
  }

  /** Processing tags after the image type (`n4`, `reg`); `[]` if none. */
  get tags(): readonly string[] {
    if (this.#tags === undefined) {
      const typeEnd = this.#slotEnds()[SLOTS.imageType] ?? -1;
      const stem = this.stem;
      this.#tags =
        typeEnd < 0 || typeEnd === stem.length
          ? NO_ITEMS
          : Object.freeze(stem.slice(typeEnd + 1).split("_"));
    }
    return this.#tags;
  }

  /** The strict reading of the name (`parseName`); throws `NameError` if the name is not valid. */
  parse(): ParsedName {
    return parseName(this.name);
  }

  // --- sidecar ---

  /**
   * The JSON sidecar holding this image's `SeriesInfo`: beside it for `nii/`, and
   * `<session>/nii/<first four fields>.json` for `proc/` and `stage/` (tags stripped). Throws
   * `SidecarError` `E_SIDECAR_UNAVAILABLE` for any other folder.
   */
  get infoPath(): string {
    const folder = basename(this.parent);
    if (folder === "nii") {
      return join(this.parent, pythonReplace(this.name, this.ext, ".json"));
    }
    if (folder === "proc" || folder === "stage") {
      const stem = leadingPieces(this.stem, "_", 4);
      return join(dirname(this.parent), "nii", `${stem}.json`);
    }
    throw new SidecarError(
      "E_SIDECAR_UNAVAILABLE",
      `ImageFile.info is not available for ${this.path}. Check the parent folders.`,
      { path: this.path },
    );
  }

  /** The sidecar's `SeriesInfo`, read synchronously on first use and then cached. */
  get info(): SeriesInfo {
    this.#info ??= readSeriesInfoSync(this.infoPath);
    return this.#info;
  }

  /** The sidecar's `SeriesInfo`, read asynchronously on first use and then cached. */
  async readInfo(): Promise<SeriesInfo> {
    this.#info ??= await readSeriesInfo(this.infoPath);
    return this.#info;
  }

  // --- derived names ---

  /** The same file name with `tags` appended (`_n4`), in the same folder. */
  withTags(...tags: string[]): ImageFile {
    for (const tag of tags) checkTag(tag);
    const rest = this.name.slice(this.stem.length);
    return new ImageFile(join(this.parent, [this.stem, ...tags].join("_") + rest));
  }

  /** The same stem with another extension (`.json`, `.png`). */
  withExt(ext: string): ImageFile {
    const name = this.stem + ext;
    if (ext.includes("/") || name === "" || name === "." || name === "..") {
      throw new NameError("E_NAME_SYNTAX", `extension "${ext}" does not make a file name here`, {
        part: "ext",
        fileName: name,
      });
    }
    return new ImageFile(join(this.parent, name));
  }

  /** The same name in another folder of the same session: `img.inDir("proc")`. */
  inDir(folder: string): ImageFile {
    if (folder === "" || folder.includes("/") || folder === "." || folder === "..") {
      throw new StudyFileError("E_STUDY_LAYOUT", `"${folder}" is not a session folder name`, {
        path: this.path,
      });
    }
    return new ImageFile(join(this.sessionDir, folder, this.name));
  }

  toString(): string {
    return this.path;
  }

  toJSON(): string {
    return this.path;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `ImageFile(${this.path})`;
  }
}

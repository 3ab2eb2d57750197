// A RADIFOX study (`<study>/<SUBJECT>/<SESSION>/{nii,proc,stage,qa,…}`) seen as XNAT objects:
// one Project, its Subjects and Sessions, a Scan per image of `nii/`, session Resources for the
// other session folders. Synchronous and lazy: nothing is read until asked for, and then only
// the child types `include` names. Nothing is cached, so every call sees the disk as it is.
import { type Dirent, readFileSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import {
  compareCodePoints,
  parseSeriesInfo,
  readSeriesInfoSync,
  SESSION_FOLDERS,
  SeriesInfo,
  SidecarError,
} from "@radifox/naming";
import { ArchiveError } from "../errors.js";
import { withoutUndefined } from "../load.js";
import type {
  XnatFile,
  XnatObject,
  XnatProject,
  XnatResource,
  XnatScan,
  XnatSession,
  XnatSubject,
  XnatType,
} from "../model.js";
import type { LoadOptions, XnatArchive } from "../source.js";
import {
  ARCHIVE_PREFIX,
  experimentUri,
  fileUri,
  parseXnatUri,
  projectUri,
  resourceUri,
  scanUri,
  subjectUri,
} from "../uri.js";
import type { RadifoxProblem } from "./errors.js";
import { niftiVolumes } from "./header.js";
import { listImages, type NiiImage } from "./images.js";
import {
  type FileEntry,
  fileSize,
  folderExists,
  isFolder,
  listDir,
  type Report,
  walkFiles,
} from "./tree.js";

export interface RadifoxArchiveOptions {
  /** The project id; default the study folder's name. */
  readonly project?: string;
  /**
   * Read each image's NIfTI header (its first bytes, ~30 µs) for the Scan's `frames`, the
   * number of volumes. Default true; false leaves `frames` out.
   */
  readonly frames?: boolean;
  /** Called once for each problem met (a bad file name, a missing sidecar, …). */
  readonly onProblem?: (problem: RadifoxProblem) => void;
}

/** A RADIFOX study opened as an XNAT archive. */
export interface RadifoxArchive extends XnatArchive {
  readonly layout: "radifox";
  /** The id of the study's one Project. */
  readonly projectId: string;
  /**
   * Every problem met so far, each once, in the order met. Reading is lazy, so problems of
   * folders not read yet are not known yet.
   */
  readonly problems: readonly RadifoxProblem[];
}

/** The folders inside a session folder that make it one (`nii`, `dcm`, `proc`, `qa`, …). */
const SESSION_FOLDER_NAMES: ReadonlySet<string> = new Set(Object.values(SESSION_FOLDERS));
/** The session folder whose images become Scans; the others become session Resources. */
const NII = "nii";
const ALL: ReadonlySet<XnatType> = new Set<XnatType>([
  "Subject",
  "Session",
  "Scan",
  "Resource",
  "File",
]);
const NONE: ReadonlySet<XnatType> = new Set<XnatType>();
const RESOURCES: ReadonlySet<XnatType> = new Set<XnatType>(["Resource"]);

const XSI = {
  project: "xnat:projectData",
  subject: "xnat:subjectData",
  session: "xnat:mrSessionData",
  mrScan: "xnat:mrScanData",
  ctScan: "xnat:ctScanData",
  resource: "xnat:resourceCatalog",
} as const;

/** A session folder found on disk, with its (sorted, visible) entries. */
interface SessionRef {
  readonly subject: string;
  readonly session: string;
  readonly dir: string;
  readonly entries: readonly Dirent[];
}

/** One name of a folder: not empty, not hidden, no separator. */
function isPlainName(name: string): boolean {
  return name !== "" && !name.startsWith(".") && !name.includes("/") && !name.includes("\0");
}

/** A string field of a sidecar; lists (DICOM multi-values) joined with `\`. */
function infoString(info: SeriesInfo | undefined, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = info?.data[key];
    if (typeof value === "string" && value !== "") return value;
    if (typeof value === "number") return String(value);
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) {
      return value.join("\\");
    }
  }
  return undefined;
}

/** `HH:MM:SS` of RADIFOX's `AcqDateTime` (`YYYY-MM-DD HH:MM:SS`). */
function startTime(info: SeriesInfo | undefined): string | undefined {
  const value = infoString(info, "AcqDateTime");
  const time = value?.match(/[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/)?.[1];
  return time === undefined || value?.startsWith("0001-01-01") ? undefined : time;
}

class RadifoxStudyArchive implements RadifoxArchive {
  readonly root: string;
  readonly layout = "radifox" as const;
  readonly projectId: string;
  readonly #problems: RadifoxProblem[] = [];
  readonly #seen = new Set<string>();
  readonly #readFrames: boolean;
  readonly #onProblem: ((problem: RadifoxProblem) => void) | undefined;
  readonly #report: Report = (problem) => {
    const key = `${problem.code}\0${problem.path}\0${problem.message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.#problems.push(problem);
    this.#onProblem?.(problem);
  };

  constructor(root: string, options: RadifoxArchiveOptions) {
    this.root = root;
    this.projectId = options.project ?? basename(root);
    this.#readFrames = options.frames ?? true;
    this.#onProblem = options.onProblem;
  }

  get problems(): readonly RadifoxProblem[] {
    return this.#problems;
  }

  // --- XnatArchive ---

  projects(): Iterable<XnatProject> {
    return [this.#project(NONE)];
  }

  *sessions(projectId: string, options?: LoadOptions): Iterable<XnatSession> {
    if (projectId !== this.projectId) return;
    const include = options?.include ?? NONE;
    for (const subject of this.#subjectNames()) {
      for (const ref of this.#sessionRefs(subject))
        yield this.#session(ref, ARCHIVE_PREFIX, include);
    }
  }

  byId(type: XnatType, id: string, options?: LoadOptions): XnatObject | undefined {
    const include = options?.include ?? ALL;
    switch (type) {
      case "Project":
        return id === this.projectId ? this.#project(include) : undefined;
      case "Subject":
        return this.#subjectExists(id) ? this.#subject(id, include) : undefined;
      case "Session": {
        const ref = this.#sessionById(id);
        return ref ? this.#session(ref, ARCHIVE_PREFIX, include) : undefined;
      }
      default:
        // Scans have no site-wide id; resources have no integer-id here; the others do not exist.
        return undefined;
    }
  }

  byUri(uri: string, options?: LoadOptions): XnatObject | undefined {
    const include = options?.include ?? ALL;
    const parts = parseXnatUri(uri);
    if (!parts || parts.assessor !== undefined) return undefined;
    if (parts.project !== undefined && parts.project !== this.projectId) return undefined;
    if (parts.experiment === undefined) {
      // Neither the project nor subjects have resources in this layout.
      if (parts.resource !== undefined) return undefined;
      if (parts.subject === undefined) return this.#project(include);
      return this.#subjectExists(parts.subject) ? this.#subject(parts.subject, include) : undefined;
    }

    let ref: SessionRef | undefined;
    let parentUri = ARCHIVE_PREFIX;
    if (parts.subject !== undefined) {
      // Below a subject XNAT also takes the session's label.
      ref = this.#sessionById(parts.experiment);
      if (ref && ref.subject !== parts.subject) return undefined;
      ref ??= this.#sessionRef(parts.subject, parts.experiment);
      parentUri = subjectUri(this.projectId, parts.subject);
    } else {
      ref = this.#sessionById(parts.experiment);
      if (parts.project !== undefined) parentUri = projectUri(this.projectId);
    }
    if (!ref) return undefined;

    if (parts.scan === undefined && parts.resource === undefined) {
      return this.#session(ref, parentUri, include);
    }
    const sessionUri = experimentUri(sessionId(ref), parentUri);
    // A resource's files are read when asked for, or to find the file the URI names.
    const withFiles = parts.file !== undefined || include.has("File");
    if (parts.scan === undefined) {
      const label = parts.resource as string;
      const entry = ref.entries.find((e) => e.name === label);
      if (label === NII || !entry || !isFolder(entry, ref.dir)) return undefined;
      const dir = join(ref.dir, label);
      return this.#pick(this.#folderResource(sessionUri, label, dir, withFiles), parts);
    }
    const image = this.#images(ref).find((i) => i.id === parts.scan);
    if (!image) return undefined;
    if (parts.resource === undefined) return this.#scan(ref, sessionUri, image, include);
    const scan = this.#scan(ref, sessionUri, image, withFiles ? ALL : RESOURCES);
    const resource = scan.resources.find((r) => r.label === parts.resource);
    return resource ? this.#pick(resource, parts) : undefined;
  }

  /** The resource itself (files per `include`), or the file the URI names. */
  #pick(resource: XnatResource, parts: { file?: string }): XnatObject | undefined {
    if (parts.file === undefined) return resource;
    return resource.files.find((f) => f.uri === fileUri(resource.uri as string, parts.file ?? ""));
  }

  // --- folders ---

  #subjectNames(): string[] {
    const entries = listDir(this.root, this.#report) ?? [];
    return entries.filter((e) => isFolder(e, this.root)).map((e) => e.name);
  }

  #subjectExists(name: string): boolean {
    return isPlainName(name) && folderExists(join(this.root, name));
  }

  /** The session at `<root>/<subject>/<session>`, if that folder is one. */
  #sessionRef(subject: string, session: string): SessionRef | undefined {
    if (!isPlainName(subject) || !isPlainName(session)) return undefined;
    const dir = join(this.root, subject, session);
    const entries = listDir(dir, this.#report);
    if (!entries?.some((e) => SESSION_FOLDER_NAMES.has(e.name) && isFolder(e, dir))) {
      return undefined;
    }
    return { subject, session, dir, entries };
  }

  /** The session of an id `<subject>_<session>`, splitting at the first `_` that names one. */
  #sessionById(id: string): SessionRef | undefined {
    for (let i = id.indexOf("_"); i > 0; i = id.indexOf("_", i + 1)) {
      const ref = this.#sessionRef(id.slice(0, i), id.slice(i + 1));
      if (ref) return ref;
    }
    return undefined;
  }

  /** The sessions of a subject in code-point order; other folders are reported. */
  #sessionRefs(subject: string): SessionRef[] {
    const subjectDir = join(this.root, subject);
    const refs: SessionRef[] = [];
    for (const entry of listDir(subjectDir, this.#report) ?? []) {
      if (!isFolder(entry, subjectDir)) continue;
      const ref = this.#sessionRef(subject, entry.name);
      if (ref) refs.push(ref);
      else {
        this.#report({
          path: join(subjectDir, entry.name),
          code: "E_NOT_A_SESSION",
          message: `not a session folder: it holds none of ${[...SESSION_FOLDER_NAMES].join(", ")}`,
        });
      }
    }
    return refs;
  }

  #images(ref: SessionRef): NiiImage[] {
    const nii = ref.entries.find((e) => e.name === NII);
    return nii && isFolder(nii, ref.dir) ? listImages(join(ref.dir, NII), this.#report) : [];
  }

  // --- objects ---

  #project(include: ReadonlySet<XnatType>): XnatProject {
    const id = this.projectId;
    return {
      type: "Project",
      id,
      label: id,
      xsiType: XSI.project,
      uri: projectUri(id),
      directory: this.root,
      resources: [],
      subjects: include.has("Subject")
        ? this.#subjectNames().map((name) => this.#subject(name, include))
        : [],
      "project-assets": [],
    };
  }

  #subject(name: string, include: ReadonlySet<XnatType>): XnatSubject {
    const uri = subjectUri(this.projectId, name);
    return {
      type: "Subject",
      id: name,
      label: name,
      xsiType: XSI.subject,
      uri,
      "project-id": this.projectId,
      sessions: include.has("Session")
        ? this.#sessionRefs(name).map((ref) => this.#session(ref, uri, include))
        : [],
      resources: [],
      "subject-assessors": [],
    };
  }

  #session(ref: SessionRef, parentUri: string, include: ReadonlySet<XnatType>): XnatSession {
    const id = sessionId(ref);
    const uri = experimentUri(id, parentUri);
    const withFiles = include.has("File");
    const resources: XnatResource[] = [];
    if (include.has("Resource")) {
      for (const entry of ref.entries) {
        if (entry.name === NII || !isFolder(entry, ref.dir)) continue;
        resources.push(this.#folderResource(uri, entry.name, join(ref.dir, entry.name), withFiles));
      }
    }
    return {
      type: "Session",
      id,
      label: ref.session,
      xsiType: XSI.session,
      uri,
      directory: ref.dir,
      "project-id": this.projectId,
      "subject-id": ref.subject,
      scans: include.has("Scan")
        ? this.#images(ref).map((image) => this.#scan(ref, uri, image, include))
        : [],
      assessors: [],
      resources,
    };
  }

  #scan(
    ref: SessionRef,
    sessionUri: string,
    image: NiiImage,
    include: ReadonlySet<XnatType>,
  ): XnatScan {
    const niiDir = join(ref.dir, NII);
    const uri = scanUri(sessionUri, image.id);
    const info = image.sidecar ? this.#readInfo(join(niiDir, image.sidecar)) : undefined;
    const modality = infoString(info, "Modality") ?? "MR";
    const resources: XnatResource[] = [];
    if (include.has("Resource")) {
      const withFiles = include.has("File");
      const listed = (names: readonly string[]) =>
        names.map((name) => ({ relative: name, path: join(niiDir, name) }));
      resources.push(this.#fileResource(uri, "NIFTI", niiDir, listed(image.files), withFiles));
      if (image.sidecar) {
        resources.push(this.#fileResource(uri, "JSON", niiDir, listed([image.sidecar]), withFiles));
      }
      const dicom = dicomFolder(ref.dir, infoString(info, "SourcePath"));
      if (dicom) resources.push(this.#folderResource(uri, "DICOM", dicom, withFiles));
      resources.sort((a, b) => compareCodePoints(a.label ?? "", b.label ?? ""));
    }
    return withoutUndefined({
      type: "Scan",
      id: image.id,
      label: `${image.id} - ${image.name.imageType}`,
      xsiType: modality === "CT" ? XSI.ctScan : XSI.mrScan,
      uri,
      directory: niiDir,
      "scan-type": image.name.imageType,
      "project-id": this.projectId,
      "session-id": sessionId(ref),
      frames: this.#frames(join(niiDir, image.image)),
      modality,
      "scanner-manufacturer": infoString(info, "Manufacturer"),
      "scanner-model": infoString(info, "ScannerModelName"),
      "scanner-software-version": infoString(info, "SoftwareVersions"),
      "series-description": infoString(info, "SeriesDescription"),
      "start-time": startTime(info),
      uid: infoString(info, "SeriesInstanceUID", "SeriesUID"),
      resources,
    });
  }

  #readInfo(path: string): SeriesInfo | undefined {
    try {
      return readSidecar(path);
    } catch (error) {
      if (!(error instanceof SidecarError)) throw error;
      this.#report({ path, code: error.code, message: error.message });
      return undefined;
    }
  }

  #frames(path: string): number | undefined {
    if (!this.#readFrames) return undefined;
    try {
      return niftiVolumes(path);
    } catch (error) {
      this.#report({
        path,
        code: "E_NIFTI_HEADER",
        message: `cannot read the NIfTI header: ${error instanceof Error ? error.message : error}`,
      });
      return undefined;
    }
  }

  /** A resource of every file below a folder. */
  #folderResource(parentUri: string, label: string, dir: string, withFiles: boolean) {
    return this.#resource(parentUri, label, dir, withFiles ? walkFiles(dir, this.#report) : []);
  }

  /** A resource of some files of a folder. */
  #fileResource(
    parentUri: string,
    label: string,
    dir: string,
    files: readonly { relative: string; path: string }[],
    withFiles: boolean,
  ): XnatResource {
    const entries = withFiles
      ? files.map((f) => ({ ...f, size: fileSize(f.path, this.#report) }))
      : [];
    return this.#resource(parentUri, label, dir, entries);
  }

  #resource(
    parentUri: string,
    label: string,
    dir: string,
    files: readonly FileEntry[],
  ): XnatResource {
    const uri = resourceUri(parentUri, label);
    return {
      type: "Resource",
      id: label,
      label,
      xsiType: XSI.resource,
      uri,
      directory: dir,
      "parent-uri": parentUri,
      files: files.map((f) => xnatFile(uri, f)),
    };
  }
}

/**
 * A sidecar's `SeriesInfo`, as `readSeriesInfoSync` reads it, but through `JSON.parse` when the
 * text is plain JSON (5x faster than the Python-JSON parser, which takes `NaN`/`Infinity`); any
 * other text goes to `parseSeriesInfo` for the value or the error.
 */
function readSidecar(path: string): SeriesInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return readSeriesInfoSync(path); // throws the SidecarError of the read
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return parseSeriesInfo(text, path);
  }
  const info = (document as { SeriesInfo?: unknown } | null)?.SeriesInfo;
  return info !== null && typeof info === "object" && !Array.isArray(info)
    ? new SeriesInfo(info as Record<string, unknown>, path)
    : parseSeriesInfo(text, path);
}

function sessionId(ref: SessionRef): string {
  return `${ref.subject}_${ref.session}`;
}

function xnatFile(resource: string, entry: FileEntry): XnatFile {
  const name = basename(entry.path);
  const file: XnatFile = {
    type: "File",
    label: name,
    uri: fileUri(resource, entry.relative),
    name,
    path: entry.path,
    tags: [],
  };
  if (entry.size !== undefined) file.size = entry.size;
  return file;
}

/** The `dcm/…` folder a sidecar's `SourcePath` names, if it exists inside the session. */
function dicomFolder(sessionDir: string, sourcePath: string | undefined): string | undefined {
  if (!sourcePath) return undefined;
  const dir = resolve(sessionDir, sourcePath);
  const inside = relative(sessionDir, dir);
  if (inside === "" || inside.startsWith("..") || inside.startsWith(sep)) return undefined;
  return folderExists(dir) ? dir : undefined;
}

/**
 * Open a RADIFOX study folder (`<study>/<SUBJECT>/<SESSION>/…`) as an XNAT archive. Reads only
 * the root folder now; throws `ArchiveError` `E_ARCHIVE_ROOT` when it is missing, not a folder,
 * or is a session folder itself, `E_ARCHIVE_READ` when it cannot be read, and a `RangeError`
 * for a `project` id that is empty, hidden or holds `/`.
 */
export function openRadifoxArchive(
  studyRoot: string,
  options: RadifoxArchiveOptions = {},
): RadifoxArchive {
  const root = resolve(studyRoot);
  const problems: RadifoxProblem[] = [];
  const entries = listDir(root, (p) => problems.push(p));
  if (entries === undefined) {
    throw new ArchiveError("E_ARCHIVE_ROOT", "the RADIFOX study folder does not exist", {
      path: root,
    });
  }
  if (problems.length > 0) {
    throw new ArchiveError("E_ARCHIVE_READ", problems[0]?.message ?? "cannot read folder", {
      path: root,
    });
  }
  if (entries.some((e) => e.name === NII && isFolder(e, root))) {
    throw new ArchiveError(
      "E_ARCHIVE_ROOT",
      "this is a RADIFOX session folder; open the study folder two levels up",
      { path: root },
    );
  }
  if (options.project !== undefined && !isPlainName(options.project)) {
    throw new RangeError(`unusable project id ${JSON.stringify(options.project)}`);
  }
  return new RadifoxStudyArchive(root, options);
}

// Our own BIDS dataset checker for raw MRI datasets: root files, folder layout, file names,
// sidecars by the inheritance principle and the keys BIDS requires in them. It lists folders
// and reads only the small JSON and TSV files, never image data, so large datasets check
// quickly. Problems in the dataset are findings; only an unreadable root throws.
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Finding, Severity } from "../plan.js";
import { type BidsName, entityValue, parseBidsName, splitExtension } from "./names.js";
import { BIDS_DATATYPES, placeBidsName, rulesForSuffix, type SuffixRule } from "./rules.js";
import { keyText, mergeSidecars, missingSidecarKeys } from "./sidecar-keys.js";

/** What {@link checkBidsDataset} found. */
export interface BidsCheck {
  readonly findings: Finding[];
  /** Subject labels without `sub-`, sorted by code point. */
  readonly subjects: string[];
  /** How many distinct subject/session pairs there are. */
  readonly sessions: number;
  /** How many files were checked. */
  readonly files: number;
}

/** The codes of the checker's findings. */
export type BidsCheckCode =
  | "DATASET_DESCRIPTION_MISSING"
  | "DATASET_DESCRIPTION_INVALID"
  | "JSON_KEY_REQUIRED"
  | "README_MISSING"
  | "PARTICIPANTS_TSV_MISSING"
  | "PARTICIPANT_ID_COLUMN"
  | "PARTICIPANT_MISSING"
  | "PARTICIPANT_WITHOUT_FOLDER"
  | "UNKNOWN_FILE"
  | "SUBJECT_LABEL_INVALID"
  | "SESSION_LABEL_INVALID"
  | "MIXED_SESSIONS"
  | "INVALID_NAME"
  | "SUBJECT_MISMATCH"
  | "SESSION_MISMATCH"
  | "NOT_BIDS_SUFFIX"
  | "WRONG_DATATYPE"
  | "DEPRECATED_SUFFIX"
  | "SIDECAR_MISSING"
  | "SIDECAR_INVALID"
  | "SIDECAR_ORPHAN"
  | "SIDECAR_KEY_REQUIRED"
  | "DWI_BVAL_MISSING"
  | "DWI_BVEC_MISSING"
  | "EMPTY_SUBJECT"
  | "SESSIONS_INCONSISTENT"
  | "UNREADABLE";

/** Root folders BIDS lets hold anything. */
const SKIPPED_FOLDERS = new Set(["derivatives", "sourcedata", "code", "stimuli"]);
const READMES = ["README", "README.md", "README.rst", "README.txt"];
const ROOT_FILES = new Set([
  ...READMES,
  "CHANGES",
  "LICENSE",
  "CITATION.cff",
  "dataset_description.json",
  "participants.tsv",
  "participants.json",
  "genetic_info.json",
  "samples.tsv",
  "samples.json",
  "scans.json",
]);
const DATATYPES: ReadonlySet<string> = new Set(BIDS_DATATYPES);
/** Files a sidecar describes; a JSON with none of these beside it may be an orphan. */
const DATA_EXTENSIONS = new Set([".nii", ".nii.gz", ".tsv", ".tsv.gz", ".jpg"]);
const NIFTI = new Set([".nii", ".nii.gz"]);
/** Extensions a file may have when it is inherited from a higher level. */
const INHERITED_EXTENSIONS = new Set([".json", ".bval", ".bvec"]);
const LABEL = /^[A-Za-z0-9]+$/;

interface Entry {
  readonly name: string;
  readonly abs: string;
  /** Relative to the root, with `/`. */
  readonly rel: string;
  readonly kind: "file" | "dir" | "other";
}

/** A JSON, bval or bvec file that data files may inherit. */
interface Inherited {
  readonly name: BidsName;
  readonly rel: string;
  /** Some data file inherits it. */
  used: boolean;
  /** A data file with the same stem lies beside it. */
  paired: boolean;
  /**
   * A JSON's object while data files may still inherit it; undefined when it is not an object
   * or cannot be read (reported), and once its datatype folder is done (to free the memory).
   */
  json?: Record<string, unknown> | undefined;
}

/** The inheritable files of one folder, by suffix + extension. */
type Level = Map<string, Inherited[]>;

interface State {
  readonly findings: Finding[];
  files: number;
  /** Every inheritable JSON, for the orphan check at the end. */
  readonly jsons: Inherited[];
  /** Entries reported UNREADABLE, so that they are not also reported missing. */
  readonly unreadable: Set<string>;
}

/** Where a folder sits: its subject and session labels. */
interface Place {
  readonly subject: string;
  readonly session?: string;
}

interface SubjectSummary {
  readonly label: string;
  readonly rel: string;
  readonly sessions: number;
  readonly hasSessionFolders: boolean;
  readonly hasDatatypeFolders: boolean;
}

/**
 * Checks the BIDS dataset in `root` and returns what it found. Throws only when `root` is not
 * a readable folder.
 */
export function checkBidsDataset(root: string): BidsCheck {
  let dirents: Dirent[];
  try {
    if (!statSync(root).isDirectory()) throw new Error("not a folder");
    dirents = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    throw new Error(`${root} is not a readable folder (${reason(error)})`);
  }
  const state: State = { findings: [], files: 0, jsons: [], unreadable: new Set() };
  const entries = entriesOf(state, root, "", dirents);
  const rootLevel = checkRootFiles(state, entries);
  const subjectFolders = entries.filter((e) => e.kind === "dir" && e.name.startsWith("sub-"));
  checkParticipants(state, entries, subjectFolders);
  for (const entry of entries) {
    if (
      entry.kind === "dir" &&
      !SKIPPED_FOLDERS.has(entry.name) &&
      !entry.name.startsWith("sub-")
    ) {
      add(state, "warning", "UNKNOWN_FILE", `${entry.name}/ is not a BIDS folder`, entry.rel);
    }
  }
  const subjects: SubjectSummary[] = [];
  for (const folder of subjectFolders) {
    const summary = checkSubject(state, folder, rootLevel);
    if (summary) subjects.push(summary);
  }
  checkSessionsConsistent(state, subjects);
  for (const json of state.jsons) {
    if (!json.used && !json.paired) {
      add(state, "warning", "SIDECAR_ORPHAN", "no data file beside it or inheriting it", json.rel);
    }
  }
  return {
    findings: state.findings,
    subjects: subjects.map((s) => s.label).sort(),
    sessions: subjects.reduce((n, s) => n + s.sessions, 0),
    files: state.files,
  };
}

function add(state: State, severity: Severity, code: BidsCheckCode, message: string, path: string) {
  state.findings.push({ severity, code, message, path });
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

function unreadable(state: State, rel: string, error: unknown) {
  state.unreadable.add(rel);
  add(state, "error", "UNREADABLE", `cannot be read (${reason(error)})`, rel);
}

const childRel = (rel: string, name: string) => (rel === "" ? name : `${rel}/${name}`);

/** The entries of a folder, hidden ones left out, sorted by name; undefined when unreadable. */
function list(state: State, dir: Entry): Entry[] | undefined {
  try {
    return entriesOf(state, dir.abs, dir.rel, readdirSync(dir.abs, { withFileTypes: true }));
  } catch (error) {
    unreadable(state, dir.rel, error);
    return undefined;
  }
}

function entriesOf(state: State, abs: string, rel: string, dirents: Dirent[]): Entry[] {
  const entries: Entry[] = [];
  for (const d of dirents) {
    if (d.name.startsWith(".")) continue;
    const entry = { name: d.name, abs: join(abs, d.name), rel: childRel(rel, d.name) };
    const kind = kindOf(state, d, entry.abs, entry.rel);
    if (kind) entries.push({ ...entry, kind });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Links are followed; a dangling one counts as a file (git-annex content not fetched). */
function kindOf(state: State, d: Dirent, abs: string, rel: string): Entry["kind"] | undefined {
  if (d.isDirectory()) return "dir";
  if (d.isFile()) return "file";
  if (!d.isSymbolicLink()) return "other";
  try {
    const stat = statSync(abs);
    return stat.isDirectory() ? "dir" : stat.isFile() ? "file" : "other";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "file";
    unreadable(state, rel, error);
    return undefined;
  }
}

function readText(state: State, entry: Entry): string | undefined {
  try {
    return readFileSync(entry.abs, "utf8");
  } catch (error) {
    unreadable(state, entry.rel, error);
    return undefined;
  }
}

type JsonRead = { readonly object: Record<string, unknown> } | { readonly problem: string };

/** A JSON file's object, or why it is not one; undefined when unreadable (reported). */
function readJsonObject(state: State, entry: Entry): JsonRead | undefined {
  const text = readText(state, entry);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `not valid JSON (${error instanceof Error ? error.message : error})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { problem: "not a JSON object" };
  }
  return { object: value as Record<string, unknown> };
}

/** Reports a sidecar that is no JSON object; returns the object when it is one. */
function checkSidecarJson(state: State, entry: Entry): Record<string, unknown> | undefined {
  const read = readJsonObject(state, entry);
  if (read && "problem" in read) add(state, "error", "SIDECAR_INVALID", read.problem, entry.rel);
  return read && "object" in read ? read.object : undefined;
}

// ---- the root ----

/** Checks the files at the root and returns the inheritable ones. */
function checkRootFiles(state: State, entries: Entry[]): Level {
  const level: Level = new Map();
  const names = new Set(entries.filter((e) => e.kind !== "dir").map((e) => e.name));
  const description = entries.find((e) => e.name === "dataset_description.json");
  if (description?.kind === "file") checkDescription(state, description);
  else if (!state.unreadable.has("dataset_description.json")) {
    add(
      state,
      "error",
      "DATASET_DESCRIPTION_MISSING",
      "the dataset has no dataset_description.json",
      "dataset_description.json",
    );
  }
  if (!READMES.some((name) => names.has(name))) {
    add(state, "warning", "README_MISSING", "the dataset has no README", "README");
  }
  for (const entry of entries) {
    if (entry.kind === "dir") continue;
    state.files += 1;
    if (entry.kind === "other") unknown(state, entry);
    else if (ROOT_FILES.has(entry.name)) {
      if (entry.name.endsWith(".json") && entry.name !== "dataset_description.json") {
        checkSidecarJson(state, entry);
      }
    } else if (!addInherited(state, entry, level, {})) unknown(state, entry);
  }
  return level;
}

function unknown(state: State, entry: Entry) {
  const what = entry.kind === "other" ? "not a regular file or folder" : "not a BIDS file here";
  add(state, "warning", "UNKNOWN_FILE", what, entry.rel);
}

function checkDescription(state: State, entry: Entry) {
  const read = readJsonObject(state, entry);
  if (read === undefined) return;
  if ("problem" in read) {
    add(state, "error", "DATASET_DESCRIPTION_INVALID", read.problem, entry.rel);
    return;
  }
  const has = (key: string) => read.object[key] !== undefined && read.object[key] !== null;
  for (const key of ["Name", "BIDSVersion"]) {
    if (!has(key)) add(state, "error", "JSON_KEY_REQUIRED", `${key} is required`, entry.rel);
  }
  if (read.object.DatasetType === "derivative" && !has("GeneratedBy")) {
    const message = "GeneratedBy is required when DatasetType is derivative";
    add(state, "error", "JSON_KEY_REQUIRED", message, entry.rel);
  }
}

/** participants.tsv against the subject folders. */
function checkParticipants(state: State, entries: Entry[], subjectFolders: Entry[]) {
  const path = "participants.tsv";
  const file = entries.find((e) => e.name === path && e.kind === "file");
  if (!file) {
    if (state.unreadable.has(path)) return;
    add(state, "warning", "PARTICIPANTS_TSV_MISSING", "the dataset has no participants.tsv", path);
    return;
  }
  const text = readText(state, file);
  if (text === undefined) return;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const header = (lines[0] ?? "").split("\t")[0];
  if (header !== "participant_id") {
    const message = `the first column is '${header}', not participant_id`;
    add(state, "error", "PARTICIPANT_ID_COLUMN", message, path);
    return;
  }
  const ids = new Set(
    lines
      .slice(1)
      .filter((line) => line.trim() !== "")
      .map((line) => line.split("\t")[0] as string),
  );
  const folders = new Set(subjectFolders.map((e) => e.name));
  for (const folder of subjectFolders) {
    if (LABEL.test(folder.name.slice("sub-".length)) && !ids.has(folder.name)) {
      const message = `${folder.name} is not listed in participants.tsv`;
      add(state, "warning", "PARTICIPANT_MISSING", message, folder.rel);
    }
  }
  for (const id of ids) {
    if (!folders.has(id) && !state.unreadable.has(id)) {
      const message = `participants.tsv lists ${id}, which has no folder`;
      add(state, "warning", "PARTICIPANT_WITHOUT_FOLDER", message, path);
    }
  }
}

// ---- inheritance ----

/**
 * Parses a name that may leave out `sub-` (files above the subject folders). The parser
 * demands `sub-` first, so a stand-in subject is put in front and taken out again.
 */
function parseInheritable(fileName: string): BidsName | undefined {
  const padded = !fileName.startsWith("sub-");
  const parsed = parseBidsName(padded ? `sub-0_${fileName}` : fileName);
  if (!parsed.ok) return undefined;
  const name = padded ? { ...parsed.name, entities: parsed.name.entities.slice(1) } : parsed.name;
  if (!INHERITED_EXTENSIONS.has(name.extension)) return undefined;
  const known = rulesForSuffix(name.suffix).some((r) => r.extensions.includes(name.extension));
  return known ? name : undefined;
}

/**
 * Indexes a file of a subject, session or root folder that data files may inherit. False when
 * the file is not one; a `sub-`/`ses-` that contradicts the folder is reported.
 */
function addInherited(state: State, entry: Entry, level: Level, place: Partial<Place>): boolean {
  const name = parseInheritable(entry.name);
  if (!name) return false;
  if (!matchesPlace(state, name, place, entry.rel)) return true;
  index(state, level, name, entry, false);
  return true;
}

function index(state: State, level: Level, name: BidsName, entry: Entry, paired: boolean) {
  const item: Inherited = { name, rel: entry.rel, used: false, paired };
  const key = name.suffix + name.extension;
  const items = level.get(key);
  if (items) items.push(item);
  else level.set(key, [item]);
  if (name.extension === ".json") {
    state.jsons.push(item);
    item.json = checkSidecarJson(state, entry);
  }
}

/** The files of `levels` (nearest first) that `data` inherits with `extension`; marks them used. */
function inherited(levels: Level[], data: BidsName, extension: string): Inherited[] {
  const found: Inherited[] = [];
  for (const level of levels) {
    for (const item of level.get(data.suffix + extension) ?? []) {
      if (item.name.entities.every((e) => entityValue(data, e.key) === e.value)) {
        item.used = true;
        found.push(item);
      }
    }
  }
  return found;
}

/** Reports a `sub-` or `ses-` value that differs from the folders; true when both agree. */
function matchesPlace(state: State, name: BidsName, place: Partial<Place>, rel: string): boolean {
  let ok = true;
  const sub = entityValue(name, "sub");
  if (place.subject !== undefined && sub !== undefined && sub !== place.subject) {
    const message = `sub-${sub} in the name, but the folder is sub-${place.subject}`;
    add(state, "error", "SUBJECT_MISMATCH", message, rel);
    ok = false;
  }
  const ses = entityValue(name, "ses");
  if (place.session !== undefined && ses !== undefined && ses !== place.session) {
    const message = `ses-${ses} in the name, but the folder is ses-${place.session}`;
    add(state, "error", "SESSION_MISMATCH", message, rel);
    ok = false;
  }
  return ok;
}

// ---- subjects and sessions ----

function checkSubject(state: State, folder: Entry, rootLevel: Level): SubjectSummary | undefined {
  const label = folder.name.slice("sub-".length);
  if (!LABEL.test(label)) {
    const message = `'${label}' is not a subject label (letters and digits only)`;
    add(state, "error", "SUBJECT_LABEL_INVALID", message, folder.rel);
    return undefined;
  }
  const place: Place = { subject: label };
  const entries = list(state, folder);
  if (!entries) {
    return {
      label,
      rel: folder.rel,
      sessions: 0,
      hasSessionFolders: false,
      hasDatatypeFolders: false,
    };
  }
  const level: Level = new Map();
  const own = new Set(["sessions.tsv", "sessions.json", "scans.tsv", "scans.json"]);
  for (const entry of entries) {
    if (entry.kind === "dir") continue;
    state.files += 1;
    const rest = entry.name.startsWith(`${folder.name}_`)
      ? entry.name.slice(folder.name.length + 1)
      : "";
    if (entry.kind === "file" && own.has(rest)) {
      if (rest.endsWith(".json")) checkSidecarJson(state, entry);
    } else if (entry.kind === "other" || !addInherited(state, entry, level, place)) {
      unknown(state, entry);
    }
  }
  const sessionFolders = entries.filter((e) => e.kind === "dir" && e.name.startsWith("ses-"));
  const datatypeFolders = entries.filter((e) => e.kind === "dir" && DATATYPES.has(e.name));
  if (sessionFolders.length > 0 && datatypeFolders.length > 0) {
    const message = "has both session folders and datatype folders outside any session";
    add(state, "error", "MIXED_SESSIONS", message, folder.rel);
  }
  let dataFiles = 0;
  let sessions = 0;
  const upper = [level, rootLevel];
  for (const entry of entries) {
    if (entry.kind !== "dir") continue;
    if (entry.name.startsWith("ses-")) {
      const counted = checkSession(state, entry, place, upper);
      if (counted !== undefined) {
        sessions += 1;
        dataFiles += counted;
      }
    } else if (DATATYPES.has(entry.name)) {
      dataFiles += checkDatatypeFolder(state, entry, place, upper);
    } else {
      add(state, "warning", "UNKNOWN_FILE", `${entry.name}/ is not a BIDS folder here`, entry.rel);
    }
  }
  if (dataFiles === 0) add(state, "warning", "EMPTY_SUBJECT", "holds no data files", folder.rel);
  return {
    label,
    rel: folder.rel,
    sessions,
    hasSessionFolders: sessionFolders.length > 0,
    hasDatatypeFolders: datatypeFolders.length > 0,
  };
}

/** Checks a session folder; returns its number of data files, or undefined for a bad label. */
function checkSession(
  state: State,
  folder: Entry,
  subject: Place,
  upper: Level[],
): number | undefined {
  const label = folder.name.slice("ses-".length);
  if (!LABEL.test(label)) {
    const message = `'${label}' is not a session label (letters and digits only)`;
    add(state, "error", "SESSION_LABEL_INVALID", message, folder.rel);
    return undefined;
  }
  const place: Place = { subject: subject.subject, session: label };
  const entries = list(state, folder) ?? [];
  const level: Level = new Map();
  const scans = `sub-${place.subject}_ses-${label}_scans`;
  for (const entry of entries) {
    if (entry.kind === "dir") continue;
    state.files += 1;
    if (entry.kind === "file" && entry.name === `${scans}.tsv`) continue;
    if (entry.kind === "file" && entry.name === `${scans}.json`) checkSidecarJson(state, entry);
    else if (entry.kind === "other" || !addInherited(state, entry, level, place)) {
      unknown(state, entry);
    }
  }
  let dataFiles = 0;
  for (const entry of entries) {
    if (entry.kind !== "dir") continue;
    if (DATATYPES.has(entry.name)) {
      dataFiles += checkDatatypeFolder(state, entry, place, [level, ...upper]);
    } else {
      add(state, "warning", "UNKNOWN_FILE", `${entry.name}/ is not a BIDS folder here`, entry.rel);
    }
  }
  return dataFiles;
}

function checkSessionsConsistent(state: State, subjects: SubjectSummary[]) {
  const withSessions = subjects.filter((s) => s.hasSessionFolders).length;
  if (withSessions === 0) return;
  for (const s of subjects) {
    if (!s.hasSessionFolders && s.hasDatatypeFolders) {
      const message = `sub-${s.label} has no sessions, while ${withSessions} subject(s) have`;
      add(state, "warning", "SESSIONS_INCONSISTENT", message, s.rel);
    }
  }
}

// ---- datatype folders ----

interface DataFile {
  readonly entry: Entry;
  readonly name: BidsName;
  readonly rule: SuffixRule;
}

/** Checks a datatype folder; returns its number of data files. */
function checkDatatypeFolder(state: State, folder: Entry, place: Place, upper: Level[]): number {
  const entries = list(state, folder) ?? [];
  const stems = new Set<string>();
  for (const entry of entries) {
    const [stem, extension] = splitExtension(entry.name);
    if (entry.kind === "file" && DATA_EXTENSIONS.has(extension)) stems.add(stem);
  }
  const level: Level = new Map();
  const data: DataFile[] = [];
  let dataFiles = 0;
  for (const entry of entries) {
    if (entry.kind === "dir") {
      add(state, "warning", "UNKNOWN_FILE", `${entry.name}/ is not a BIDS folder here`, entry.rel);
      continue;
    }
    state.files += 1;
    if (entry.kind === "other") {
      unknown(state, entry);
      continue;
    }
    const [stem, extension] = splitExtension(entry.name);
    if (DATA_EXTENSIONS.has(extension)) dataFiles += 1;
    const checked = checkFileName(state, entry, folder.name, place);
    if (!checked) continue;
    if (INHERITED_EXTENSIONS.has(extension))
      index(state, level, checked.name, entry, stems.has(stem));
    if (DATA_EXTENSIONS.has(extension)) data.push(checked);
  }
  const levels = [level, ...upper];
  for (const file of data) checkCompanions(state, file, levels);
  for (const items of level.values()) for (const item of items) item.json = undefined;
  return dataFiles;
}

/** Checks the name of a file in a datatype folder; the parts and rule when it is sound. */
function checkFileName(
  state: State,
  entry: Entry,
  datatype: string,
  place: Place,
): DataFile | undefined {
  const parsed = parseBidsName(entry.name);
  if (!parsed.ok) {
    const message = parsed.problems.map((p) => p.message).join("; ");
    add(state, "error", "INVALID_NAME", message, entry.rel);
    return undefined;
  }
  const name = parsed.name;
  let ok = matchesPlace(state, name, place, entry.rel);
  // Data files, unlike inherited ones, carry exactly the session of their folder.
  const ses = entityValue(name, "ses");
  if ((place.session === undefined) !== (ses === undefined)) {
    const message =
      ses === undefined
        ? `the name has no ses-${place.session}, but the file is in a session folder`
        : `ses-${ses} in the name, but the file is not in a session folder`;
    add(state, "error", "SESSION_MISMATCH", message, entry.rel);
    ok = false;
  }
  if (name.extension === "") {
    add(state, "error", "INVALID_NAME", "the name has no extension", entry.rel);
    return undefined;
  }
  const placement = placeBidsName(name, datatype);
  if (!placement.ok) {
    const known = rulesForSuffix(name.suffix);
    const code: BidsCheckCode =
      known.length === 0
        ? "NOT_BIDS_SUFFIX"
        : known.some((r) => r.datatype === datatype)
          ? "INVALID_NAME"
          : "WRONG_DATATYPE";
    add(state, "error", code, placement.reason, entry.rel);
    return undefined;
  }
  const rule = placement.rule;
  if (rule.deprecated?.includes(name.suffix)) {
    const message = `${name.suffix} is deprecated in BIDS`;
    add(state, "warning", "DEPRECATED_SUFFIX", message, entry.rel);
  }
  return ok ? { entry, name, rule } : undefined;
}

/**
 * The sidecar (and the keys BIDS requires in it) and, for dwi, the gradient files a data file
 * needs, found by inheritance.
 */
function checkCompanions(state: State, file: DataFile, levels: Level[]) {
  const { entry, name, rule } = file;
  const jsons = inherited(levels, name, ".json");
  checkRequiredKeys(state, file, jsons);
  if (!NIFTI.has(name.extension)) return;
  if (rule.sidecar !== "none" && jsons.length === 0) {
    const severity: Severity = rule.sidecar === "required" ? "error" : "warning";
    const message = `no JSON sidecar (${rule.sidecar}) here or inherited from above`;
    add(state, severity, "SIDECAR_MISSING", message, entry.rel);
  }
  if (rule.datatype === "dwi" && name.suffix === "dwi") {
    if (inherited(levels, name, ".bval").length === 0) {
      add(state, "error", "DWI_BVAL_MISSING", "no .bval here or inherited", entry.rel);
    }
    if (inherited(levels, name, ".bvec").length === 0) {
      add(state, "error", "DWI_BVEC_MISSING", "no .bvec here or inherited", entry.rel);
    }
  }
}

/**
 * Reports each key BIDS requires that none of the data file's sidecars (`jsons`, nearest
 * first) sets. A file without a sidecar, or with one that is not an object, already has its
 * finding and gets none here.
 */
function checkRequiredKeys(state: State, file: DataFile, jsons: Inherited[]) {
  if (jsons.length === 0 || jsons.some((j) => j.json === undefined)) return;
  const sidecar = mergeSidecars(jsons.map((j) => j.json as Record<string, unknown>));
  const nearest = (jsons[0] as Inherited).rel;
  for (const { key, reason } of missingSidecarKeys(file.rule.datatype, file.name, sidecar)) {
    const message = `${keyText(key)} is required${reason}, but no sidecar of ${file.entry.name} sets it (nearest: ${nearest})`;
    add(state, "error", "SIDECAR_KEY_REQUIRED", message, file.entry.rel);
  }
}

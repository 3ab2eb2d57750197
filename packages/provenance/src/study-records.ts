// Reading the records of a study back: a session's `_Provenance.yml`, the `.prov` files beside
// its outputs, and the record of one file. Reading never writes: a damaged document is reported
// in `problems` and skipped, never repaired.
//
// Project roots. A record stores the absolute `ProjectRoot` it was written under and lists its
// files relative to it. A study that was moved (or copied) no longer lives there, so relative
// paths are resolved against where the record was found:
// - a session file's records: the session's actual project folder, `<session>/../..` (where the
//   record's first output put the session file, so this is the stored root wherever the study
//   now lives);
// - a `.prov`'s record: the folder that the record's own path of that output puts the project at
//   (`.../proj/S/1/proc/x.prov` listing `S/1/proc/x.nii.gz` -> `.../proj`).
// When neither applies (a layout the original would not write), the stored root is used when it
// exists, else the `.prov`'s `../../..`. Absolute paths are used as they are.
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";
import { errorMessage, ProvenanceError } from "./errors.js";
import { recordedFiles } from "./parents.js";
import { provPathFor } from "./placement.js";
import type { RecordFile } from "./record.js";
import { type ProvenanceRecord, parseRecords, type RecordProblem } from "./record-parse.js";

/** A record with the project folder its relative paths resolve against (see above). */
export interface LocatedRecord extends ProvenanceRecord {
  /** The project folder in use: the stored `projectRoot`, or where the study is now. */
  root: string;
}

/** Records read from one or more record files. */
export interface RecordSet {
  /** One record per Id, in reading order (a copy whose Id matches its text is preferred). */
  records: LocatedRecord[];
  /** Every document read, copies included (a `.prov` repeats its session-file record). */
  documents: LocatedRecord[];
  /** Documents (or files) that could not be read; `line` 0 means the whole file. */
  problems: RecordProblem[];
  /** The record files read. */
  files: string[];
}

/** A session's records: its `_Provenance.yml` first, then every `.prov` under it. */
export interface SessionRecords extends RecordSet {
  session: string;
  sessionFile: string;
}

/** Session folders never searched for `.prov` files: source copies, which can be huge. */
const SKIPPED_FOLDERS = new Set(["dcm", "parrec"]);

/** `<session>/<subject folder>_<session folder>_Provenance.yml`. */
export function sessionFileFor(sessionDir: string): string {
  const session = resolve(sessionDir);
  return join(session, `${basename(dirname(session))}_${basename(session)}_Provenance.yml`);
}

/** The absolute path of a file a located record lists. */
export function locatePath(record: Pick<LocatedRecord, "root">, file: RecordFile): string {
  return isAbsolute(file.path) ? file.path : resolve(record.root, file.path);
}

/** Whether `name` is hidden (dot files: temporary files, locks, editor leftovers). */
export function isHidden(name: string): boolean {
  return name.startsWith(".");
}

/**
 * Every file under `dir` (absolute paths, sorted), hidden entries and symbolic links to folders
 * left out; `skip` names folders directly under `dir` that are not entered.
 */
export async function filesUnder(
  dir: string,
  skip: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const found: string[] = [];
  const visit = async (folder: string, top: boolean): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return; // unreadable or vanished: nothing to list there
    }
    const folders: string[] = [];
    for (const entry of entries) {
      if (isHidden(entry.name)) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!(top && skip.has(entry.name))) folders.push(path);
      } else if (entry.isFile()) {
        found.push(path);
      } else if (entry.isSymbolicLink()) {
        const info = await stat(path).catch(() => undefined);
        if (info?.isFile()) found.push(path);
      }
    }
    for (const child of folders) await visit(child, false);
  };
  await visit(resolve(dir), true);
  return found.sort(compareText);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** The project folder a `.prov`'s record puts the project at (see the module comment). */
function rootFromProv(record: ProvenanceRecord, provFile: string): string | undefined {
  const provDir = dirname(provFile);
  for (const file of recordedFiles(record.outputs)) {
    if (isAbsolute(file.path)) continue;
    if (basename(provPathFor(file.path)) !== basename(provFile)) continue;
    const folder = dirname(file.path);
    if (folder === ".") return provDir;
    const tail = folder.split("/").join(sep);
    if (provDir.endsWith(`${sep}${tail}`)) return provDir.slice(0, -(tail.length + 1)) || sep;
  }
  return undefined;
}

async function fallbackRoot(record: ProvenanceRecord, provFile: string): Promise<string> {
  if (await exists(record.projectRoot)) return record.projectRoot;
  return resolve(dirname(provFile), "..", "..", "..");
}

/**
 * Reads one record file: a `.prov` or a session `_Provenance.yml` (of the session `session`,
 * default its folder). A file that does not exist yields nothing; one that cannot be read is a
 * problem.
 */
export async function readRecordFile(
  path: string,
  options: { session?: string } = {},
): Promise<RecordSet> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { records: [], documents: [], problems: [], files: [] };
    }
    return {
      records: [],
      documents: [],
      problems: [{ path: file, line: 0, message: `cannot read: ${errorMessage(error)}` }],
      files: [],
    };
  }
  const parsed = parseRecords(text, file);
  const documents: LocatedRecord[] = [];
  if (file.endsWith(".prov")) {
    for (const record of parsed.records) {
      const root = rootFromProv(record, file) ?? (await fallbackRoot(record, file));
      documents.push({ ...record, root });
    }
  } else {
    const project = resolve(options.session ?? dirname(file), "..", "..");
    for (const record of parsed.records) documents.push({ ...record, root: project });
  }
  return { records: unique(documents), documents, problems: parsed.problems, files: [file] };
}

/** One record per Id, first seen first; a copy whose Id matches its text replaces one that does not. */
function unique(documents: readonly LocatedRecord[]): LocatedRecord[] {
  const byId = new Map<string, LocatedRecord>();
  for (const document of documents) {
    const seen = byId.get(document.id);
    if (!seen || (!seen.idMatches && document.idMatches)) byId.set(document.id, document);
  }
  return [...byId.values()];
}

/** Maps with at most `limit` calls under way (many `.prov` files must not exhaust descriptors). */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  map: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function merge(sets: readonly RecordSet[]): RecordSet {
  const documents = sets.flatMap((set) => set.documents);
  return {
    records: unique(documents),
    documents,
    problems: sets.flatMap((set) => set.problems),
    files: sets.flatMap((set) => set.files),
  };
}

/** Reads a session and returns the files found under it too (for `verifySession`). */
export async function readSessionWithFiles(
  sessionDir: string,
): Promise<SessionRecords & { allFiles: string[] }> {
  const session = resolve(sessionDir);
  const info = await stat(session).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ProvenanceError("E_PROV_READ", `not a session folder: ${session}`, {
      path: session,
    });
  }
  const sessionFile = sessionFileFor(session);
  const allFiles = await filesUnder(session, SKIPPED_FOLDERS);
  const provFiles = allFiles.filter((file) => file.endsWith(".prov"));
  const sets = [
    await readRecordFile(sessionFile, { session }),
    ...(await mapLimited(provFiles, 32, (file) => readRecordFile(file))),
  ];
  return { session, sessionFile, ...merge(sets), allFiles };
}

/**
 * The records of a session folder: its `<subject>_<session>_Provenance.yml` first, then every
 * `.prov` under the session's folders (hidden entries and `dcm/`, `parrec/` skipped), one record
 * per Id. Bad documents are listed in `problems`; nothing is ever written.
 */
export async function readSessionRecords(sessionDir: string): Promise<SessionRecords> {
  const { allFiles: _files, ...records } = await readSessionWithFiles(sessionDir);
  return records;
}

/** The records `findRecordsFor` found, and what it took `path` to be. */
export interface FoundRecords extends RecordSet {
  path: string;
  kind: "file" | "record-file" | "session";
}

/**
 * The records for `path`: a session folder's records; the records of a `.prov` or
 * `_Provenance.yml` file itself; or, for any other file, the record in its `.prov` that lists it
 * as an output (none for a raw input, or for a file that only shares its `.prov` name, such as
 * the `.json` sidecar of a `.nii.gz`). Throws `E_PROV_READ` when `path` does not exist.
 */
export async function findRecordsFor(path: string): Promise<FoundRecords> {
  const target = resolve(path);
  const info = await stat(target).catch((error: unknown) => {
    throw new ProvenanceError(
      "E_PROV_READ",
      `cannot read ${target}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : errorMessage(error)}`,
      { path: target, cause: error },
    );
  });
  if (info.isDirectory()) {
    return { path: target, kind: "session", ...(await readSessionRecords(target)) };
  }
  if (target.endsWith(".prov") || target.endsWith("_Provenance.yml")) {
    return { path: target, kind: "record-file", ...(await readRecordFile(target)) };
  }
  const provFile = provPathFor(target);
  const read = await readRecordFile(provFile);
  const listing = (record: LocatedRecord) =>
    recordedFiles(record.outputs).some((file) => locatePath(record, file) === target);
  return {
    path: target,
    kind: "file",
    records: read.records.filter(listing),
    documents: read.documents.filter(listing),
    problems: read.problems,
    files: read.files,
  };
}

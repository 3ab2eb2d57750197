// The metadata XNAT keeps in its database, as two small JSON files per project and per session
// (project.json, session.json; formats in the README). Read strictly: a field of the wrong type
// is an ArchiveError naming the file and the JSON pointer, so a typo in a lab's metadata shows
// up at once instead of as a missing object. Unknown keys are ignored (room for notes and for
// later fields).
import { readFileSync } from "node:fs";
import { ArchiveError } from "../errors.js";
import { withoutUndefined as defined } from "../load.js";

/** Catalog columns of a resource, applied to each of its files. */
export interface ResourceMetadata {
  readonly label: string;
  readonly format?: string;
  readonly content?: string;
  readonly tags?: readonly string[];
}

/** One subject of `project.json`. `id` and `label` default to each other. */
export interface SubjectMetadata {
  readonly id: string;
  readonly label: string;
  readonly group?: string;
  readonly source?: string;
  readonly initials?: string;
  readonly resources: readonly ResourceMetadata[];
}

/** `project.json`. */
export interface ProjectMetadata {
  /** When given, must equal the project folder's name. */
  readonly id?: string;
  /** The project's name (XNAT's `name`; the key `name` is read too). Default: the id. */
  readonly label?: string;
  readonly xsiType?: string;
  readonly title?: string;
  readonly "running-title"?: string;
  readonly description?: string;
  readonly keywords?: string;
  readonly accessibility?: string;
  readonly aliases?: readonly string[];
  readonly subjects: readonly SubjectMetadata[];
  readonly resources: readonly ResourceMetadata[];
}

/** One scan of `session.json`. */
export interface ScanMetadata {
  readonly id: string;
  readonly "integer-id"?: number;
  /** The scan type (key `type`, as in XNAT; `scan-type` is read too). */
  readonly type?: string;
  readonly xsiType?: string;
  readonly "series-description"?: string;
  readonly frames?: number;
  readonly quality?: string;
  readonly note?: string;
  readonly modality?: string;
  readonly uid?: string;
  readonly "start-time"?: string;
  readonly scanner?: string;
  readonly "scanner-manufacturer"?: string;
  readonly "scanner-model"?: string;
  readonly "scanner-software-version"?: string;
  readonly resources: readonly ResourceMetadata[];
}

/** One image assessor of `session.json`. */
export interface AssessorMetadata {
  readonly id: string;
  readonly label: string;
  readonly xsiType?: string;
  readonly name?: string;
  /** Its folder in `ASSESSORS/`. Default: the label. */
  readonly dir: string;
  readonly resources: readonly ResourceMetadata[];
}

/** `session.json` (also used for subject assessors, with `"type": "SubjectAssessor"`). */
export interface SessionMetadata {
  readonly type: "Session" | "SubjectAssessor";
  readonly id?: string;
  readonly label?: string;
  /** The subject's label or id (as listed in `project.json`). */
  readonly subject?: string;
  readonly xsiType?: string;
  readonly "visit-id"?: string;
  readonly scans: readonly ScanMetadata[];
  readonly assessors: readonly AssessorMetadata[];
  readonly resources: readonly ResourceMetadata[];
}

type Json = Record<string, unknown>;

/** Reads fields of one metadata file, failing with the file and the JSON pointer. */
class FieldReader {
  constructor(readonly path: string) {}

  fail(pointer: string, message: string): never {
    throw new ArchiveError("E_ARCHIVE_FORMAT", message, { path: this.path, pointer });
  }

  object(value: unknown, pointer: string): Json {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.fail(pointer, `must be an object, not ${describe(value)}`);
    }
    return value as Json;
  }

  array(object: Json, key: string, pointer: string): unknown[] {
    const value = object[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value))
      this.fail(`${pointer}/${key}`, `must be a list, not ${describe(value)}`);
    return value;
  }

  string(object: Json, key: string, pointer: string): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string") {
      this.fail(`${pointer}/${key}`, `must be a string, not ${describe(value)}`);
    }
    return value;
  }

  /** An id or label: a string, or an integer (scan ids are often written as numbers). */
  name(object: Json, key: string, pointer: string): string | undefined {
    const value = object[key];
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) {
      return String(value);
    }
    const text = this.string(object, key, pointer);
    if (text === undefined) return undefined;
    if (text === "" || text === "." || text === ".." || text.includes("/")) {
      this.fail(`${pointer}/${key}`, `${JSON.stringify(text)} cannot name an XNAT object`);
    }
    return text;
  }

  integer(object: Json, key: string, pointer: string): number | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      this.fail(`${pointer}/${key}`, `must be a whole number >= 0, not ${describe(value)}`);
    }
    return value;
  }

  strings(object: Json, key: string, pointer: string): string[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    const list = this.array(object, key, pointer);
    list.forEach((item, i) => {
      if (typeof item !== "string") {
        this.fail(`${pointer}/${key}/${i}`, `must be a string, not ${describe(item)}`);
      }
    });
    return list as string[];
  }

  resources(object: Json, pointer: string): ResourceMetadata[] {
    const seen = new Set<string>();
    return this.array(object, "resources", pointer).map((item, i) => {
      const at = `${pointer}/resources/${i}`;
      const entry = this.object(item, at);
      const label = this.name(entry, "label", at) ?? this.fail(`${at}/label`, "is required");
      if (seen.has(label)) this.fail(`${at}/label`, `resource ${label} is listed twice`);
      seen.add(label);
      return defined({
        label,
        format: this.string(entry, "format", at),
        content: this.string(entry, "content", at),
        tags: this.strings(entry, "tags", at),
      });
    });
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The parsed JSON of `path`, or undefined when the file does not exist. */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new ArchiveError("E_ARCHIVE_READ", `cannot read (${code ?? "error"})`, {
      path,
      cause: error,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ArchiveError("E_ARCHIVE_JSON", `not valid JSON (${(error as Error).message})`, {
      path,
      cause: error,
    });
  }
}

/** `project.json` at `path`, checked; a missing file gives the defaults (no subjects). */
export function readProjectMetadata(path: string): ProjectMetadata {
  return parseProjectMetadata(readJsonFile(path), path);
}

/** Checks the parsed JSON of a `project.json`; `path` is named in errors. */
export function parseProjectMetadata(json: unknown, path: string): ProjectMetadata {
  if (json === undefined) return { subjects: [], resources: [] };
  const read = new FieldReader(path);
  const root = read.object(json, "");
  const seenIds = new Set<string>();
  const seenLabels = new Set<string>();
  const subjects = read.array(root, "subjects", "").map((item, i): SubjectMetadata => {
    const at = `/subjects/${i}`;
    const entry = read.object(item, at);
    const givenId = read.name(entry, "id", at);
    const givenLabel = read.name(entry, "label", at);
    const id = givenId ?? givenLabel ?? read.fail(at, "a subject needs an id or a label");
    const label = givenLabel ?? id;
    if (seenIds.has(id)) read.fail(`${at}/id`, `subject id ${id} is listed twice`);
    if (seenLabels.has(label)) read.fail(`${at}/label`, `subject label ${label} is listed twice`);
    seenIds.add(id);
    seenLabels.add(label);
    return defined({
      id,
      label,
      group: read.string(entry, "group", at),
      source: read.string(entry, "source", at),
      initials: read.string(entry, "initials", at),
      resources: read.resources(entry, at),
    });
  });
  return defined({
    id: read.name(root, "id", ""),
    label: read.string(root, "label", "") ?? read.string(root, "name", ""),
    xsiType: read.string(root, "xsiType", ""),
    title: read.string(root, "title", ""),
    "running-title": read.string(root, "running-title", ""),
    description: read.string(root, "description", ""),
    keywords: read.string(root, "keywords", ""),
    accessibility: read.string(root, "accessibility", ""),
    aliases: read.strings(root, "aliases", ""),
    subjects,
    resources: read.resources(root, ""),
  });
}

/** `session.json` at `path`, checked; a missing file gives the defaults (no scans listed). */
export function readSessionMetadata(path: string): SessionMetadata {
  return parseSessionMetadata(readJsonFile(path), path);
}

/** Checks the parsed JSON of a `session.json`; `path` is named in errors. */
export function parseSessionMetadata(json: unknown, path: string): SessionMetadata {
  const empty = { type: "Session", scans: [], assessors: [], resources: [] } as const;
  if (json === undefined) return empty;
  const read = new FieldReader(path);
  const root = read.object(json, "");
  const typeText = read.string(root, "type", "") ?? "Session";
  if (!["Session", "SubjectAssessor"].includes(typeText)) {
    read.fail("/type", `must be "Session" or "SubjectAssessor", not ${JSON.stringify(typeText)}`);
  }
  const type = typeText as SessionMetadata["type"];
  const scanIds = new Set<string>();
  const scans = read.array(root, "scans", "").map((item, i): ScanMetadata => {
    const at = `/scans/${i}`;
    const entry = read.object(item, at);
    const id = read.name(entry, "id", at) ?? read.fail(`${at}/id`, "is required");
    if (scanIds.has(id)) read.fail(`${at}/id`, `scan ${id} is listed twice`);
    scanIds.add(id);
    const scanType = read.string(entry, "type", at);
    const alias = read.string(entry, "scan-type", at);
    if (scanType !== undefined && alias !== undefined && scanType !== alias) {
      read.fail(`${at}/scan-type`, `differs from "type" (${JSON.stringify(scanType)})`);
    }
    return defined({
      id,
      "integer-id": read.integer(entry, "integer-id", at),
      type: scanType ?? alias,
      xsiType: read.string(entry, "xsiType", at),
      "series-description": read.string(entry, "series-description", at),
      frames: read.integer(entry, "frames", at),
      quality: read.string(entry, "quality", at),
      note: read.string(entry, "note", at),
      modality: read.string(entry, "modality", at),
      uid: read.string(entry, "uid", at),
      "start-time": read.string(entry, "start-time", at),
      scanner: read.string(entry, "scanner", at),
      "scanner-manufacturer": read.string(entry, "scanner-manufacturer", at),
      "scanner-model": read.string(entry, "scanner-model", at),
      "scanner-software-version": read.string(entry, "scanner-software-version", at),
      resources: read.resources(entry, at),
    });
  });
  const assessorIds = new Set<string>();
  const assessors = read.array(root, "assessors", "").map((item, i): AssessorMetadata => {
    const at = `/assessors/${i}`;
    const entry = read.object(item, at);
    const givenId = read.name(entry, "id", at);
    const givenLabel = read.name(entry, "label", at);
    const id = givenId ?? givenLabel ?? read.fail(at, "an assessor needs an id or a label");
    if (assessorIds.has(id)) read.fail(`${at}/id`, `assessor ${id} is listed twice`);
    assessorIds.add(id);
    const label = givenLabel ?? id;
    return defined({
      id,
      label,
      xsiType: read.string(entry, "xsiType", at),
      name: read.string(entry, "name", at),
      dir: read.name(entry, "dir", at) ?? label,
      resources: read.resources(entry, at),
    });
  });
  if (type === "SubjectAssessor" && (scans.length > 0 || assessors.length > 0)) {
    read.fail("/type", "a subject assessor has no scans or assessors");
  }
  return defined({
    type,
    id: read.name(root, "id", ""),
    label: read.name(root, "label", ""),
    subject: read.name(root, "subject", ""),
    xsiType: read.string(root, "xsiType", ""),
    "visit-id": read.string(root, "visit-id", ""),
    scans,
    assessors,
    resources: read.resources(root, ""),
  });
}

// Readers for the JSON files radifox-convert and the QA app keep in a session folder.
import { readFile } from "node:fs/promises";
import { StudyFileError } from "./errors.js";
import { JsonSyntaxError, parsePythonJson } from "./python-json.js";
import { SeriesInfo } from "./series-info.js";

/** A manual name: at least the six type components (`null` = not specified), then extras. */
export type ManualName = readonly (string | null)[];

/** `_ManualNaming.json`: series source path -> `false` (do not convert) or a manual name. */
export type ManualNaming = ReadonlyMap<string, false | ManualName>;

/** `Metadata` of `_UnconvertedInfo.json`. */
export interface ConversionMetadata {
  projectId: string;
  subjectId: string;
  sessionId: string;
  siteId: string | null;
  /** The object as stored (includes `_NoProjectSubdir` and TMS fields when present). */
  raw: Readonly<Record<string, unknown>>;
}

/** `_UnconvertedInfo.json`: what radifox-convert skipped or failed to convert, and how it ran. */
export interface UnconvertedInfo {
  metadata: ConversionMetadata;
  /** Series not converted (`NiftiCreated` false), each with the keys of a sidecar's `SeriesInfo`. */
  seriesList: SeriesInfo[];
  /** The whole document as stored. */
  raw: Readonly<Record<string, unknown>>;
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

function formatError(path: string, pointer: string, message: string): StudyFileError {
  return new StudyFileError(
    "E_STUDY_FORMAT",
    `${path}${pointer ? ` at ${pointer}` : ""}: ${message}`,
    {
      path,
      pointer,
    },
  );
}

function parseDocument(text: string, path: string): unknown {
  try {
    return parsePythonJson(text);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : String(error);
    throw new StudyFileError("E_STUDY_JSON", `${path}: invalid JSON: ${reason}`, {
      path,
      cause: error,
    });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StudyFileError(
      "E_STUDY_READ",
      `${path}: cannot read: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
      { path, cause: error },
    );
  }
}

/** Check and convert the text of a `_ManualNaming.json` file. */
export function parseManualNaming(text: string, path = "<ManualNaming>"): ManualNaming {
  const document = parseDocument(text, path);
  if (!isObject(document)) throw formatError(path, "", "expected an object of source path -> name");
  const entries = new Map<string, false | ManualName>();
  for (const [source, value] of Object.entries(document)) {
    const pointer = `/${escapePointer(source)}`;
    if (value === false) {
      entries.set(source, false);
      continue;
    }
    if (!Array.isArray(value)) {
      throw formatError(path, pointer, "expected false or a list of name components");
    }
    if (value.length < 6) {
      throw formatError(
        path,
        pointer,
        `a manual name needs the six type components (bodypart..excontrast), got ${value.length}`,
      );
    }
    for (const [i, part] of value.entries()) {
      if (part !== null && typeof part !== "string") {
        throw formatError(path, `${pointer}/${i}`, "name components are strings or null");
      }
    }
    entries.set(source, Object.freeze([...value]) as ManualName);
  }
  return entries;
}

/** Read a session's `_ManualNaming.json`. Throws `StudyFileError`. */
export async function readManualNaming(path: string): Promise<ManualNaming> {
  return parseManualNaming(await readText(path), path);
}

function requireString(
  record: Record<string, unknown>,
  key: string,
  path: string,
  pointer: string,
) {
  const value = record[key];
  if (typeof value !== "string") throw formatError(path, `${pointer}/${key}`, "expected a string");
  return value;
}

/** Check and convert the text of an `_UnconvertedInfo.json` file. */
export function parseUnconvertedInfo(text: string, path = "<UnconvertedInfo>"): UnconvertedInfo {
  const document = parseDocument(text, path);
  if (!isObject(document)) throw formatError(path, "", "expected an object");
  const metadata = document.Metadata;
  if (!isObject(metadata)) throw formatError(path, "/Metadata", "expected an object");
  const siteId = metadata.SiteID ?? null;
  if (siteId !== null && typeof siteId !== "string") {
    throw formatError(path, "/Metadata/SiteID", "expected a string or null");
  }
  const list = document.SeriesList ?? [];
  if (!Array.isArray(list)) throw formatError(path, "/SeriesList", "expected a list");
  const seriesList = list.map((entry, i) => {
    if (!isObject(entry)) throw formatError(path, `/SeriesList/${i}`, "expected an object");
    return new SeriesInfo(entry, path);
  });
  return {
    metadata: {
      projectId: requireString(metadata, "ProjectID", path, "/Metadata"),
      subjectId: requireString(metadata, "SubjectID", path, "/Metadata"),
      sessionId: requireString(metadata, "SessionID", path, "/Metadata"),
      siteId,
      raw: metadata,
    },
    seriesList,
    raw: document,
  };
}

/** Read a session's `_UnconvertedInfo.json`. Throws `StudyFileError`. */
export async function readUnconvertedInfo(path: string): Promise<UnconvertedInfo> {
  return parseUnconvertedInfo(await readText(path), path);
}

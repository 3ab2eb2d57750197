// The `SeriesInfo` object of a RADIFOX JSON sidecar (`nii/<name>.json`), with the original's
// attribute lookup: the exact key first, then snake_case turned into PascalCase.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { SidecarError } from "./errors.js";
import { JsonSyntaxError, parsePythonJson } from "./python-json.js";
import { pythonTitle } from "./python-text.js";

/** The PascalCase key the original tries for a snake_case attribute (`slice_thickness` -> `SliceThickness`). */
export function pascalKey(attr: string): string {
  return attr.split("_").map(pythonTitle).join("");
}

/** Acquisition metadata of one image, as radifox-convert stored it in the sidecar. */
export class SeriesInfo {
  /** The `SeriesInfo` object as read (JSON `null` stays `null`). */
  readonly data: Readonly<Record<string, unknown>>;
  /** The sidecar it was read from, if any. */
  readonly path: string | undefined;

  constructor(data: Record<string, unknown>, path?: string) {
    this.data = data;
    this.path = path;
  }

  /** The key `attr` resolves to: itself if present, else its PascalCase form, else undefined. */
  keyFor(attr: string): string | undefined {
    if (Object.hasOwn(this.data, attr)) return attr;
    const pascal = pascalKey(attr);
    return Object.hasOwn(this.data, pascal) ? pascal : undefined;
  }

  has(attr: string): boolean {
    return this.keyFor(attr) !== undefined;
  }

  /**
   * The value of `attr` (`"SliceThickness"` or `"slice_thickness"`). Throws `SidecarError`
   * `E_SIDECAR_KEY` ("No attribute X found.", as the original) when neither key exists.
   */
  get<T = unknown>(attr: string): T {
    const key = this.keyFor(attr);
    if (key === undefined) {
      throw new SidecarError("E_SIDECAR_KEY", `No attribute ${pascalKey(attr)} found.`, {
        path: this.path ?? "",
      });
    }
    return this.data[key] as T;
  }

  toJSON(): Readonly<Record<string, unknown>> {
    return this.data;
  }
}

/** Build `SeriesInfo` from sidecar text; `path` is used in error messages. */
export function parseSeriesInfo(text: string, path: string): SeriesInfo {
  let document: unknown;
  try {
    document = parsePythonJson(text);
  } catch (error) {
    const reason = error instanceof JsonSyntaxError ? error.message : String(error);
    throw new SidecarError("E_SIDECAR_JSON", `${path}: invalid JSON: ${reason}`, {
      path,
      cause: error,
    });
  }
  const info =
    document !== null && typeof document === "object" && !Array.isArray(document)
      ? (document as Record<string, unknown>).SeriesInfo
      : undefined;
  if (info === null || typeof info !== "object" || Array.isArray(info)) {
    throw new SidecarError("E_SIDECAR_FORMAT", `${path}: no "SeriesInfo" object in the sidecar`, {
      path,
    });
  }
  return new SeriesInfo(info as Record<string, unknown>, path);
}

function readError(path: string, error: unknown): SidecarError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? "no such file" : String((error as Error).message ?? error);
  return new SidecarError("E_SIDECAR_READ", `${path}: cannot read the sidecar: ${reason}`, {
    path,
    cause: error,
  });
}

/** Read a sidecar's `SeriesInfo` synchronously. */
export function readSeriesInfoSync(path: string): SeriesInfo {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw readError(path, error);
  }
  return parseSeriesInfo(text, path);
}

/** Read a sidecar's `SeriesInfo`. */
export async function readSeriesInfo(path: string): Promise<SeriesInfo> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw readError(path, error);
  }
  return parseSeriesInfo(text, path);
}

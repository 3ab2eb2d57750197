// The values a module's arguments and outputs may hold, and how RADIFOX classifies them: files
// (`FilePath`, `ImageFile`) are inputs and outputs, everything else is a parameter.
import { resolve } from "node:path";
import { ImageFile } from "@radifox/naming";

/**
 * A plain file or folder path argument (Python's `pathlib.Path`): an input when a module's
 * `cli` returns it, an output when `run` does. Relative paths are resolved against the working
 * directory when the value is made.
 */
export class FilePath {
  readonly path: string;

  constructor(path: string) {
    this.path = resolve(path);
  }

  toString(): string {
    return this.path;
  }

  toJSON(): string {
    return this.path;
  }
}

/** Shorthand for `new FilePath(path)`. */
export function filePath(path: string): FilePath {
  return new FilePath(path);
}

/** A file argument: `FilePath` or `ImageFile`. */
export type FileValue = FilePath | ImageFile;

export function isFileValue(value: unknown): value is FileValue {
  return value instanceof FilePath || value instanceof ImageFile;
}

/** The absolute path of a file argument. */
export function pathOf(value: FileValue): string {
  return value.path;
}

/** Names understood as LUTs by the QA montage. */
export type OverlayLut = "binary" | "brain_color" | "colorblind";

/**
 * An output shown as a coloured overlay on a background image in its QA picture (the original's
 * `(overlay, background[, lut])` tuple). The record lists the overlay file.
 */
export class Overlay {
  readonly overlay: FileValue;
  readonly background: FileValue;
  readonly lut: OverlayLut;

  constructor(overlay: FileValue | string, background: FileValue | string, lut?: OverlayLut) {
    this.overlay = typeof overlay === "string" ? new FilePath(overlay) : overlay;
    this.background = typeof background === "string" ? new FilePath(background) : background;
    this.lut = lut ?? "binary";
  }
}

/** Shorthand for `new Overlay(overlay, background, lut)`. */
export function overlay(
  overlayFile: FileValue | string,
  background: FileValue | string,
  lut?: OverlayLut,
): Overlay {
  return new Overlay(overlayFile, background, lut);
}

/** One output value: a file, an overlay pair, `null` (not produced) or a list of those. */
export type OutputItem = FileValue | Overlay | string;
export type OutputValue = OutputItem | null | undefined | readonly (OutputItem | null)[];

/** What a module's `run` reports: output key -> value, in a stable order. */
export type Outputs = Readonly<Record<string, OutputValue>>;

/** Parsed arguments: key -> value, in the order the record lists them. */
export type ModuleArgs = Readonly<Record<string, unknown>>;

/** The file an output item stands for (the overlay for an `Overlay`). */
export function outputFile(item: OutputItem): string {
  if (typeof item === "string") return resolve(item);
  if (item instanceof Overlay) return item.overlay.path;
  return item.path;
}

/**
 * Whether an argument is an input: a file, or a list whose first element is a file (the
 * original's rule). Empty lists are parameters (the original crashed on them).
 */
export function isInputArg(value: unknown): boolean {
  if (isFileValue(value)) return true;
  return Array.isArray(value) && value.length > 0 && isFileValue(value[0]);
}

/**
 * The output items of the keys not in `skip`, lists expanded, in order; `null`s kept (callers
 * decide), as the original flattens them.
 */
export function flattenOutputs(
  outputs: Outputs,
  skip: readonly string[] = [],
): (OutputItem | null)[] {
  const items: (OutputItem | null)[] = [];
  for (const [key, value] of Object.entries(outputs)) {
    if (skip.includes(key)) continue;
    if (Array.isArray(value)) items.push(...(value as (OutputItem | null)[]));
    else items.push((value as OutputItem | null | undefined) ?? null);
  }
  return items;
}

/** The first argument value that is a file, or the first file of the first file list. */
export function firstInputFile(args: ModuleArgs): string | undefined {
  for (const value of Object.values(args)) {
    if (isFileValue(value)) return value.path;
  }
  for (const value of Object.values(args)) {
    if (isInputArg(value)) return (value as FileValue[])[0]?.path;
  }
  return undefined;
}

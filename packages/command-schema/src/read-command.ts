// Reading a command JSON document the way XNAT does (spec 1.1-1.10): Jackson's coercions per
// field type, unknown keys ignored (and reported here), XNAT's defaults, and the differences
// between the three ways a command enters XNAT: REST create (`rest`), an image label (`label`)
// and the model itself (`model`: the update API, database round trips).
import {
  type FieldSpec,
  IGNORED_KEYS,
  keysIn,
  OBJECT_FIELDS,
  type ObjectName,
  READ_MODES,
  type ReadMode,
  UNKEPT_FIELDS,
} from "./fields.js";
import { isBlank } from "./java-order.js";
import {
  type JsonDocument,
  type JsonNode,
  type JsonObjectNode,
  JsonSyntaxError,
  lastEntry,
  nodeAt,
  plainValue,
  pointerToken,
  readJson,
  type SourcePosition,
} from "./json-reader.js";
import { type Command, IMAGE_WITH_TAG } from "./model.js";

export interface ReadOptions {
  /** Default `rest`: how commands are installed through the UI and the REST API. */
  readonly mode?: ReadMode;
  /**
   * The image name XNAT uses instead of the document's: the `?image=` parameter of REST create,
   * or the name an image was pulled as (`label`). In `label` mode without it, the document's
   * image stands in, or {@link PULLED_IMAGE} when the document names none (XNAT always has the
   * pulled name).
   */
  readonly image?: string;
}

/** Why a document is not a command: not JSON, a value of the wrong shape, or a missing name. */
export type ReadErrorKind = "syntax" | "shape" | "construction";

export class CommandReadError extends Error {
  readonly code = "E_COMMAND_READ";
  constructor(
    readonly kind: ReadErrorKind,
    message: string,
    /** JSON pointer of the offending value (`""` for the document). */
    readonly pointer: string,
    readonly position: SourcePosition | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CommandReadError";
  }
}

/** Something XNAT silently ignores while reading. */
export interface ReadWarning {
  readonly code: "unknown-key" | "ignored-key" | "duplicate-key" | "trailing-content";
  readonly message: string;
  readonly pointer: string;
  readonly position: SourcePosition | undefined;
}

export interface ReadResult {
  readonly command: Command;
  readonly warnings: readonly ReadWarning[];
  readonly mode: ReadMode;
  readonly document: JsonDocument;
  /** Where the value at a JSON pointer starts in the text (its key for absent values). */
  locate(pointer: string): SourcePosition | undefined;
}

/** Reads a command; throws {@link CommandReadError}. */
export function readCommand(text: string, options: ReadOptions = {}): ReadResult {
  const mode = options.mode ?? "rest";
  if (!READ_MODES.includes(mode)) {
    throw new CommandReadError("shape", `unknown read mode "${mode}"`, "", undefined);
  }
  let document: JsonDocument;
  try {
    document = readJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new CommandReadError("syntax", error.reason, "", error.position, { cause: error });
  }
  const reader = new ModelReader(mode);
  const command = reader.root(document.root) as unknown as Command;
  if (document.trailing) {
    reader.warnings.push({
      code: "trailing-content",
      message: "text after the command is ignored",
      pointer: "",
      position: document.trailing,
    });
  }
  applyImageRules(command, mode, options.image);
  return {
    command,
    warnings: reader.warnings,
    mode,
    document,
    locate: (pointer) => locate(document.root, pointer),
  };
}

/** {@link readCommand} as a result instead of an exception. */
export function parseCommand(
  text: string,
  options: ReadOptions = {},
): ({ ok: true } & ReadResult) | { ok: false; error: CommandReadError } {
  try {
    return { ok: true, ...readCommand(text, options) };
  } catch (error) {
    if (error instanceof CommandReadError) return { ok: false, error };
    throw error;
  }
}

/** The image of a label-mode command when neither the caller nor the document names one. */
export const PULLED_IMAGE = "pulled-image:latest";

function applyImageRules(command: Command, mode: ReadMode, image: string | undefined): void {
  if (mode === "model") return;
  if (image !== undefined && !isBlank(image)) command.image = image;
  else if (mode === "label" && isBlank(command.image)) command.image = PULLED_IMAGE;
  // REST create gives an image without a tag the tag `latest` (only an empty image is left
  // alone: "  " becomes "  :latest"); an image label's name is the pulled name, used as is.
  const current = command.image;
  if (mode === "rest" && current !== null && current !== "" && !IMAGE_WITH_TAG.test(current)) {
    command.image = `${current}:latest`;
  }
}

/** The start of the value at `pointer`, else of the nearest enclosing value that exists. */
function locate(root: JsonNode, pointer: string): SourcePosition | undefined {
  let path = pointer;
  for (;;) {
    const node = nodeAt(root, path);
    if (node) {
      const cut = pointer.slice(path.length + 1).split("/")[0];
      if (path !== pointer && node.kind === "object" && cut !== undefined) {
        return lastEntry(node, cut)?.keyStart ?? node.start;
      }
      return node.start;
    }
    if (path === "") return undefined;
    path = path.slice(0, path.lastIndexOf("/"));
  }
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case "object":
      return "an object";
    case "array":
      return "an array";
    case "string":
      return `the string ${JSON.stringify(node.value)}`;
    case "number":
      return `the number ${node.text}`;
    case "boolean":
      return `${node.value}`;
    case "null":
      return "null";
  }
}

/** Whether a number fits Java's `long` (Jackson refuses larger ones). */
function fitsLong(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) < 2 ** 63;
}

/** Keys of other modes, with what this mode does instead. */
function otherModeNote(spec: FieldSpec, key: string, mode: ReadMode): string {
  const read = keysIn(spec, mode);
  const how = mode === "rest" ? "REST create" : mode === "label" ? "an image label" : "the model";
  return read.length > 0
    ? `"${key}" is ignored when read through ${how} (it reads "${read.join('" and "')}")`
    : `"${key}" is ignored when read through ${how}`;
}

class ModelReader {
  readonly warnings: ReadWarning[] = [];

  constructor(private readonly mode: ReadMode) {}

  root(node: JsonNode): Record<string, unknown> {
    if (node.kind !== "object") {
      throw this.shape("", node, "a command must be a JSON object");
    }
    return this.object(node, "Command", "");
  }

  private shape(pointer: string, node: JsonNode, message: string): CommandReadError {
    return new CommandReadError(
      "shape",
      `${pointer || "the document"}: ${message}, not ${describe(node)}`,
      pointer,
      node.start,
    );
  }

  private construction(pointer: string, node: JsonNode, message: string): CommandReadError {
    return new CommandReadError(
      "construction",
      `${pointer || "the document"}: ${message}`,
      pointer,
      node.start,
    );
  }

  private object(node: JsonObjectNode, type: ObjectName, pointer: string): Record<string, unknown> {
    const fields = OBJECT_FIELDS[type];
    const byKey = new Map<string, [string, FieldSpec]>();
    // Read (so that a bad value fails as in XNAT) but not kept.
    for (const [property, spec] of Object.entries(UNKEPT_FIELDS[type] ?? {})) {
      byKey.set(spec.key, [property, spec]);
    }
    const otherModes = new Map<string, FieldSpec>();
    for (const [property, spec] of Object.entries(fields)) {
      for (const key of keysIn(spec, this.mode)) byKey.set(key, [property, spec]);
      for (const key of [spec.key, spec.alias?.key]) {
        if (key !== undefined && !byKey.has(key)) otherModes.set(key, spec);
      }
    }
    const ignored = new Set(IGNORED_KEYS[type] ?? []);
    // The last value of every key read (a repeated key: the last one counts, as in Jackson).
    const read = new Map<string, unknown>();
    const seen = new Set<string>();
    for (const entry of node.entries) {
      const at = `${pointer}/${pointerToken(entry.key)}`;
      if (seen.has(entry.key)) {
        this.warn(
          "duplicate-key",
          `"${entry.key}" is given twice; the last one counts`,
          at,
          entry.keyStart,
        );
      }
      seen.add(entry.key);
      const known = byKey.get(entry.key);
      if (!known) {
        const other = otherModes.get(entry.key);
        if (other)
          this.warn("ignored-key", otherModeNote(other, entry.key, this.mode), at, entry.keyStart);
        else if (!ignored.has(entry.key)) {
          this.warn("unknown-key", `unknown key "${entry.key}" is ignored`, at, entry.keyStart);
        }
        continue;
      }
      read.set(entry.key, this.value(entry.value, known[1], at));
    }
    const out: Record<string, unknown> = {};
    for (const [property, spec] of Object.entries(fields)) {
      // Of two keys for one field (a legacy name), the first with a value counts.
      const keys = keysIn(spec, this.mode);
      const value = keys.map((key) => read.get(key) ?? null).find((v) => v !== null) ?? null;
      if (spec.required && value === null) {
        throw this.construction(`${pointer}/${spec.key}`, node, `"${spec.key}" is required`);
      }
      if (spec.kind.type === "typeId" && value === null) {
        throw new CommandReadError(
          "shape",
          `${pointer}: "${spec.key}" is missing; it must be "${spec.kind.id}"`,
          `${pointer}/${spec.key}`,
          node.start,
        );
      }
      out[property] = value;
    }
    this.defaults(type, out);
    return out;
  }

  private warn(
    code: ReadWarning["code"],
    message: string,
    pointer: string,
    position: SourcePosition,
  ): void {
    this.warnings.push({ code, message, pointer, position });
  }

  /** XNAT's values for absent fields (spec 1.2-1.8). */
  private defaults(type: ObjectName, out: Record<string, unknown>): void {
    for (const [property, spec] of Object.entries(OBJECT_FIELDS[type])) {
      if (out[property] !== null || spec.default === undefined) continue;
      out[property] = structuredClone(spec.default);
    }
    // A missing wrapper name is "" in the model, and prints as "null" through REST create and
    // image labels (spec 1.10).
    if (type === "CommandWrapper" && out.name === null && this.mode === "model") out.name = "";
  }

  private value(node: JsonNode, spec: FieldSpec, pointer: string): unknown {
    const kind = spec.kind;
    switch (kind.type) {
      case "string":
        return this.string(node, pointer);
      case "boolean":
        return this.boolean(node, pointer);
      case "long":
        return this.long(node, pointer);
      case "double":
        return this.double(node, pointer);
      case "json":
        return plainValue(node);
      case "strings":
        return this.strings(node, pointer);
      case "stringMap":
        return this.stringMap(node, pointer);
      case "object":
        if (node.kind === "null") return null;
        if (node.kind !== "object") throw this.shape(pointer, node, "expected an object");
        return this.object(node, kind.of, pointer);
      case "list":
        return this.list(node, kind.of, pointer);
      case "typeId":
        if (node.kind !== "string" || node.value !== kind.id) {
          throw this.shape(pointer, node, `the only known type is "${kind.id}"`);
        }
        return node.value;
    }
  }

  private string(node: JsonNode, pointer: string): string | null {
    switch (node.kind) {
      case "string":
        return node.value;
      case "number":
        return node.text; // Jackson hands string fields the token text
      case "boolean":
        return String(node.value);
      case "null":
        return null;
      default:
        throw this.shape(pointer, node, "expected a string");
    }
  }

  private boolean(node: JsonNode, pointer: string): boolean | null {
    switch (node.kind) {
      case "boolean":
        return node.value;
      case "null":
        return null;
      case "number":
        if (node.integer) return node.value !== 0;
        break;
      case "string": {
        const text = node.value.trim();
        if (text === "" || text === "null") return null;
        if (text === "true" || text === "True" || text === "TRUE") return true;
        if (text === "false" || text === "False" || text === "FALSE") return false;
        break;
      }
    }
    throw this.shape(pointer, node, 'expected true or false (also "true", "false", 0 or 1)');
  }

  private long(node: JsonNode, pointer: string): number | null {
    switch (node.kind) {
      case "number":
        // A fraction is truncated, as Jackson does for integer fields.
        if (fitsLong(node.value)) return Math.trunc(node.value);
        break;
      case "null":
        return null;
      case "string": {
        const text = node.value.trim();
        if (text === "" || text === "null") return null;
        if (/^[+-]?\d+$/.test(text) && fitsLong(Number(text))) return Number(text);
        break;
      }
    }
    throw this.shape(pointer, node, "expected a whole number");
  }

  private double(node: JsonNode, pointer: string): number | null {
    switch (node.kind) {
      case "number":
        return node.value;
      case "null":
        return null;
      case "string": {
        const text = node.value.trim();
        if (text === "" || text === "null") return null;
        if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text);
        break;
      }
    }
    throw this.shape(pointer, node, "expected a number");
  }

  private strings(node: JsonNode, pointer: string): string[] | null {
    if (node.kind === "null") return null;
    if (node.kind !== "array") throw this.shape(pointer, node, "expected an array of strings");
    return node.items.map((item, index) => {
      const value = this.string(item, `${pointer}/${index}`);
      if (value === null)
        throw this.construction(`${pointer}/${index}`, item, "null is not allowed in this list");
      return value;
    });
  }

  private stringMap(node: JsonNode, pointer: string): Record<string, string> | null {
    if (node.kind === "null") return null;
    if (node.kind !== "object") throw this.shape(pointer, node, "expected an object of strings");
    // No prototype: keys such as "__proto__" or "toString" are plain keys here.
    const out: Record<string, string> = Object.create(null);
    for (const entry of node.entries) {
      const at = `${pointer}/${pointerToken(entry.key)}`;
      const value = this.string(entry.value, at);
      if (value === null)
        throw this.construction(at, entry.value, "null is not allowed as a value here");
      out[entry.key] = value;
    }
    return out;
  }

  private list(
    node: JsonNode,
    type: ObjectName,
    pointer: string,
  ): Record<string, unknown>[] | null {
    if (node.kind === "null") return null;
    if (node.kind !== "array") throw this.shape(pointer, node, "expected an array of objects");
    return node.items.map((item, index) => {
      const at = `${pointer}/${index}`;
      if (item.kind === "null")
        throw this.construction(at, item, "null is not allowed in this list");
      if (item.kind !== "object") throw this.shape(at, item, "expected an object");
      return this.object(item, type, at);
    });
  }
}

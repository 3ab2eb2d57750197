// The public reads, configured as XCS configures Jayway (JacksonJsonProvider, default options,
// ALWAYS_RETURN_LIST for `^…^` substitutions). Compiled paths are cached by their text: the
// resolver evaluates the same matcher on every child of every input.
import { compilePath } from "./compile.js";
import { Failure, JsonPathError } from "./errors.js";
import { ReadContext } from "./filter-eval.js";
import { javaNumberText } from "./java-numbers.js";
import { type CompiledPath, pathText } from "./model.js";
import { evaluatePath } from "./traverse.js";

/** Paths kept compiled (least recently used dropped first); bad paths are cached as failures. */
const PATH_CACHE_SIZE = 1000;
const cache = new Map<string, CompiledPath | Failure>();

function compiled(text: string): CompiledPath {
  let entry = cache.get(text);
  if (entry === undefined) {
    try {
      entry = compilePath(text);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      entry = error;
    }
    if (cache.size >= PATH_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  } else {
    cache.delete(text);
  }
  cache.set(text, entry);
  if (entry instanceof Failure) throw entry;
  return entry;
}

/** Runs `body`, turning every failure into a JsonPathError for `path`. */
function guarded<T>(path: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof JsonPathError) throw error;
    if (error instanceof Failure) throw new JsonPathError(error.kind, error.message, path);
    // Not a JSON document (a cycle, an exotic value): still a JsonPathError, never a crash.
    const reason = error instanceof Error ? error.message : String(error);
    throw new JsonPathError("JsonPath", `Could not evaluate ${path}: ${reason}`, path, {
      cause: error,
    });
  }
}

function read(document: unknown, path: string, alwaysList: boolean): unknown {
  return guarded(String(path), () => {
    if (typeof path !== "string") throw new Failure("InvalidPath", "The path must be a string");
    const compiledPath = compiled(path);
    if (alwaysList && compiledPath.functionPath) {
      throw new Failure(
        "JsonPath",
        "Options AS_PATH_LIST and ALWAYS_RETURN_LIST are not allowed when using path functions!",
      );
    }
    if (document === undefined || document === null) {
      throw new Failure("JsonPath", "json can not be null");
    }
    const results = evaluatePath(compiledPath, document, new ReadContext(document));
    if (!compiledPath.definite) return results;
    if (results.length === 0) {
      throw new Failure("PathNotFound", `No results for path: ${pathText(compiledPath)}`);
    }
    const value = results[results.length - 1];
    return alwaysList ? [value] : value;
  });
}

/**
 * Jayway `read(path)` with default options: definite path → the value (PathNotFound when a key
 * is missing); indefinite path (wildcard, deep scan, filter, several indexes/keys) → array of
 * matches. A last `['a','b']` is definite in Jayway: it yields one object with those keys.
 * Values are the document's own objects, not copies.
 */
export function readJsonPath(document: unknown, path: string): unknown {
  return read(document, path, false);
}

/**
 * Jayway `read(path, String.class)`: strings as is, numbers/booleans stringified as Java would
 * (integers without ".0", other numbers as Java doubles), null → null, objects/arrays (and the
 * list an indefinite path returns) → JsonPathError "Mapping".
 */
export function readJsonPathAsString(document: unknown, path: string): string | null {
  const value = readJsonPath(document, path);
  return guarded(path, () => javaString(value));
}

/**
 * Jayway with Option.ALWAYS_RETURN_LIST (used by `^…^` substitution): always an array; path
 * functions rejected with kind "JsonPath"; a definite path to a missing key is still
 * PathNotFound.
 */
export function readJsonPathList(document: unknown, path: string): unknown[] {
  return read(document, path, true) as unknown[];
}

/** Jackson's `convertValue(value, String.class)`. */
function javaString(value: unknown): string | null {
  switch (typeof value) {
    case "string":
      return value;
    case "number":
      return javaNumberText(value);
    case "bigint":
    case "boolean":
      return String(value);
    case "undefined":
      return null;
    default:
      if (value === null) return null;
      throw new Failure(
        "Mapping",
        `Cannot deserialize value of type \`java.lang.String\` from ${Array.isArray(value) ? "Array" : "Object"} value`,
      );
  }
}

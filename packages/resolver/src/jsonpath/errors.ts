// Jayway's exception family, as XCS distinguishes it: the resolver catches InvalidPath (which
// includes PathNotFound, a Java subclass) and Mapping in some places and not in others (spec 3.5).

export type JsonPathErrorKind = "InvalidPath" | "PathNotFound" | "Mapping" | "JsonPath";

const JAVA_NAMES: Readonly<Record<JsonPathErrorKind, string>> = {
  InvalidPath: "InvalidPathException",
  PathNotFound: "PathNotFoundException",
  Mapping: "MappingException",
  JsonPath: "JsonPathException",
};

/** A failed Jayway read. `path` is the path text as given to the read function. */
export class JsonPathError extends Error {
  readonly kind: JsonPathErrorKind;
  readonly path: string;

  constructor(kind: JsonPathErrorKind, message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "JsonPathError";
    this.kind = kind;
    this.path = path;
  }

  /** The simple name of the exception Jayway throws, e.g. `PathNotFoundException`. */
  get javaName(): string {
    return JAVA_NAMES[this.kind];
  }

  /** Java's `catch (InvalidPathException e)` also catches PathNotFoundException. */
  get isInvalidPath(): boolean {
    return this.kind === "InvalidPath" || this.kind === "PathNotFound";
  }
}

/**
 * Thrown inside the evaluator, where the path text being read is not at hand; the public read
 * functions turn it into a JsonPathError carrying the path.
 */
export class Failure extends Error {
  constructor(
    readonly kind: JsonPathErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "Failure";
  }

  get isInvalidPath(): boolean {
    return this.kind === "InvalidPath" || this.kind === "PathNotFound";
  }
}

export const invalidPath = (message: string) => new Failure("InvalidPath", message);
export const pathNotFound = (message: string) => new Failure("PathNotFound", message);

/** Stable codes of the errors this package throws. */
export type ProvenanceErrorCode =
  | "E_PROV_NO_INPUTS" // no FilePath/ImageFile argument: logs and records have no home
  | "E_PROV_NO_OUTPUTS" // the module reported no outputs
  | "E_PROV_RUN" // the module's run threw, or an external tool failed
  | "E_PROV_CONTAINER" // a container was required and none was found, or labels are missing
  | "E_PROV_HASH" // a file could not be hashed
  | "E_PROV_LOCK" // the session record file could not be locked
  | "E_PROV_WRITE" // a record, log or QA folder could not be written
  | "E_PROV_READ" // a record file could not be read
  | "E_PROV_ARGS" // bad arguments to a module or to an API function
  | "E_PROV_USAGE"; // command-line usage error (exit code 2, like argparse)

/** An error of @radifox/provenance: a stable `code`, the module and file concerned, a `cause`. */
export class ProvenanceError extends Error {
  readonly code: ProvenanceErrorCode;
  /** The module concerned, when there is one. */
  readonly module: string | undefined;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;

  constructor(
    code: ProvenanceErrorCode,
    message: string,
    options: { module?: string; path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ProvenanceError";
    this.code = code;
    this.module = options.module;
    this.path = options.path;
  }
}

/** The message of any thrown value, as Python's `str(e)` would show it. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Stable codes of the errors this package throws; apps map them to exit codes. */
export type StageErrorCode =
  | "E_STAGE_USAGE" // bad options (the original's argparse errors)
  | "E_STAGE_NO_SUBJECT" // the subject (or project) folder does not exist
  | "E_STAGE_NO_IMAGES" // no session of the subject has images with sidecars
  | "E_STAGE_ALREADY_STAGED" // a session already has stage/ and --update was not given
  | "E_STAGE_SIDECAR" // a sidecar needed for a choice is missing or unreadable
  | "E_STAGE_IMAGE" // an image cannot be read
  | "E_STAGE_PLUGIN" // a plugin file cannot be loaded, or a plugin failed
  | "E_STAGE_WRITE" // staged files could not be written (disk full, permissions)
  | "E_STAGE_LOCKED" // another staging run holds the subject
  | "E_STAGE_FAILED"; // anything else that stopped a subject's staging

/** An error of @radifox/stage: a stable `code`, the file concerned, a `cause`. */
export class StageError extends Error {
  readonly code: StageErrorCode;
  /** The file or folder concerned, when there is one. */
  readonly path: string | undefined;

  constructor(
    code: StageErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "StageError";
    this.code = code;
    this.path = options.path;
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

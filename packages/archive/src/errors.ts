// The errors of the archive readers and writers. One class with a stable code, the file
// concerned and, for metadata, where in the file: a lab fixes the file, not the code.

/**
 * Stable codes of {@link ArchiveError}. Match on the code, not on the message text.
 *
 * - `E_ARCHIVE_ROOT`: the archive root is missing or is not a folder.
 * - `E_ARCHIVE_READ`: a file or folder cannot be read (the `cause` is the system error).
 * - `E_ARCHIVE_JSON`: a metadata file is not valid JSON.
 * - `E_ARCHIVE_FORMAT`: a metadata file is JSON of the wrong shape (a field of the wrong type,
 *   a missing id); `pointer` is the JSON pointer of the offending value.
 * - `E_ARCHIVE_MISSING`: an object asked for by name is not in the archive (a listing of an
 *   unknown project).
 * - `E_ARCHIVE_AMBIGUOUS`: an id that names two objects (two resources with one `integer-id`).
 * - `E_ARCHIVE_EXISTS`: an import would replace a session that exists (pass `overwrite`).
 * - `E_ARCHIVE_IMPORT`: an import cannot be done (no images, a label XNAT refuses, a failed
 *   copy).
 */
export type ArchiveErrorCode =
  | "E_ARCHIVE_ROOT"
  | "E_ARCHIVE_READ"
  | "E_ARCHIVE_JSON"
  | "E_ARCHIVE_FORMAT"
  | "E_ARCHIVE_MISSING"
  | "E_ARCHIVE_AMBIGUOUS"
  | "E_ARCHIVE_EXISTS"
  | "E_ARCHIVE_IMPORT";

/** Every error the XNAT layout throws. The message starts with the path when there is one. */
export class ArchiveError extends Error {
  readonly code: ArchiveErrorCode;
  /** The file or folder concerned, when there is one. */
  readonly path: string | undefined;
  /** The JSON pointer of the offending value in `path` (`E_ARCHIVE_FORMAT`), else `""`. */
  readonly pointer: string;

  constructor(
    code: ArchiveErrorCode,
    message: string,
    details: { path?: string | undefined; pointer?: string; cause?: unknown } = {},
  ) {
    const where =
      details.path === undefined
        ? ""
        : `${details.path}${details.pointer ? ` ${details.pointer}` : ""}: `;
    super(where + message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ArchiveError";
    this.code = code;
    this.path = details.path;
    this.pointer = details.pointer ?? "";
  }
}

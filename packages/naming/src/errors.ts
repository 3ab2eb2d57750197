/** Base class of every error this package throws. `code` is stable; match on it, not on text. */
export class NamingError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Which component of a RADIFOX name an error is about. */
export type NamePart =
  | "name"
  | "subjectId"
  | "sessionId"
  | "imageId"
  | "studyNumber"
  | "seriesNumber"
  | "imageType"
  | "bodypart"
  | "modality"
  | "technique"
  | "acqdim"
  | "orientation"
  | "excontrast"
  | "extras"
  | "tags"
  | "ext";

/**
 * A file name that is not a valid RADIFOX name, or a component that the name lacks.
 *
 * `index`/`length` locate the offending characters in `fileName` (UTF-16 offsets) so a caller
 * can underline them. Codes: `E_NAME_SYNTAX` (strict parsing or formatting refused the name),
 * `E_NAME_MISSING` (an `ImageFile` property was read that the name does not have; the
 * original raises `IndexError` there).
 */
export class NameError extends NamingError {
  readonly part: NamePart;
  readonly fileName: string;
  readonly index: number;
  readonly length: number;

  constructor(
    code: "E_NAME_SYNTAX" | "E_NAME_MISSING",
    message: string,
    details: { part: NamePart; fileName: string; index?: number; length?: number },
  ) {
    super(code, message);
    this.part = details.part;
    this.fileName = details.fileName;
    this.index = details.index ?? details.fileName.length;
    this.length = details.length ?? 0;
  }
}

/**
 * A filter string or filter definition that cannot be used.
 *
 * `token` is the offending piece of text (a pair, a key or a value) and `position` its offset
 * in the filter string (-1 when the filter was built from an object). `pythonError` carries
 * the exception class and message the original RADIFOX raises for the same input, so that
 * messages people already search for stay available. Codes: `E_FILTER_PAIR` (not a
 * `key=value` pair), `E_FILTER_KEY` (unknown key), `E_FILTER_VALUE` (unusable value).
 */
export class FilterSyntaxError extends NamingError {
  readonly token: string;
  readonly position: number;
  /** Set where the original RADIFOX rejects the same input (the `radifox` dialect, the constructor). */
  readonly pythonError:
    | { type: "ValueError" | "IndexError" | "AttributeError"; message: string }
    | undefined;

  constructor(
    code: "E_FILTER_PAIR" | "E_FILTER_KEY" | "E_FILTER_VALUE",
    message: string,
    details: {
      token: string;
      position?: number;
      pythonError?: FilterSyntaxError["pythonError"];
    },
  ) {
    super(code, message);
    this.token = details.token;
    this.position = details.position ?? -1;
    this.pythonError = details.pythonError;
  }
}

/**
 * A JSON sidecar that cannot give what was asked. Codes: `E_SIDECAR_UNAVAILABLE` (the image
 * is not in `nii/`, `proc/` or `stage/`, so no sidecar rule applies), `E_SIDECAR_READ` (the
 * file cannot be read), `E_SIDECAR_JSON` (not valid JSON), `E_SIDECAR_FORMAT` (no
 * `SeriesInfo` object), `E_SIDECAR_KEY` (the requested attribute is not in `SeriesInfo`).
 */
export class SidecarError extends NamingError {
  readonly path: string;

  constructor(
    code:
      | "E_SIDECAR_UNAVAILABLE"
      | "E_SIDECAR_READ"
      | "E_SIDECAR_JSON"
      | "E_SIDECAR_FORMAT"
      | "E_SIDECAR_KEY",
    message: string,
    details: { path: string; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.path = details.path;
  }
}

/**
 * A study file (`_ManualNaming.json`, `_UnconvertedInfo.json`) or study folder that does not
 * have the expected shape. `pointer` is the JSON pointer of the offending value, if any.
 * Codes: `E_STUDY_READ`, `E_STUDY_JSON`, `E_STUDY_FORMAT`, `E_STUDY_LAYOUT`.
 */
export class StudyFileError extends NamingError {
  readonly path: string;
  readonly pointer: string;

  constructor(
    code: "E_STUDY_READ" | "E_STUDY_JSON" | "E_STUDY_FORMAT" | "E_STUDY_LAYOUT",
    message: string,
    details: { path: string; pointer?: string; cause?: unknown },
  ) {
    super(code, message, { cause: details.cause });
    this.path = details.path;
    this.pointer = details.pointer ?? "";
  }
}

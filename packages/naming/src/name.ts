// The strict RADIFOX name grammar:
//   <subject>_<session>_<study>-<series>_<bodypart>-<modality>-<technique>-<acqdim>-<orientation>-<excontrast>[-<extra>]*[_<tag>]*<ext>
// `parseName` accepts only names that `formatName` could have produced, so the two round-trip.
// `ImageFile` keeps the original's lenient reading for existing files.
import { NameError, type NamePart } from "./errors.js";

/** The six type components, in name order. */
export const TYPE_COMPONENTS = [
  "bodypart",
  "modality",
  "technique",
  "acqdim",
  "orientation",
  "excontrast",
] as const;

export type TypeComponent = (typeof TYPE_COMPONENTS)[number];

/** `<bodypart>-<modality>-<technique>-<acqdim>-<orientation>-<excontrast>[-<extra>]*`. */
export type ImageType = { [K in TypeComponent]: string } & { extras: string[] };

/** Everything a RADIFOX name is made of. */
export interface NameParts extends ImageType {
  subjectId: string;
  sessionId: string;
  /** The study counter of the image id (`01` of `01-03`), digits. */
  studyNumber: string;
  /** The series counter of the image id (`03` of `01-03`), digits. */
  seriesNumber: string;
  /** Processing tags in the order they were appended (`n4`, `reg`); may contain `-`. */
  tags: string[];
  /** The extension including its leading dot (`.nii.gz`), or `""`. */
  ext: string;
}

/** What `parseName` returns: the parts plus the composed fields. */
export interface ParsedName extends NameParts {
  name: string;
  stem: string;
  /** `<study>-<series>`. */
  imageId: string;
  /** The type components and extras joined with `-`. */
  imageType: string;
}

/** Input of `formatName`: counters may be numbers (zero-padded to two digits). */
export type NameInput = Omit<
  NameParts,
  "studyNumber" | "seriesNumber" | "extras" | "tags" | "ext"
> & {
  studyNumber: string | number;
  seriesNumber: string | number;
  extras?: readonly string[];
  tags?: readonly string[];
  ext?: string;
};

const PART_LABEL: Record<NamePart, string> = {
  name: "name",
  subjectId: "subject id",
  sessionId: "session id",
  imageId: "image id",
  studyNumber: "study number",
  seriesNumber: "series number",
  imageType: "image type",
  bodypart: "bodypart",
  modality: "modality",
  technique: "technique",
  acqdim: "acqdim",
  orientation: "orientation",
  excontrast: "excontrast",
  extras: "extra",
  tags: "tag",
  ext: "extension",
};

// Which characters a component may hold. Components are letters and digits; ids and tags may
// also hold `-` (it is not their separator); counters are digits.
interface CharRule {
  char: RegExp;
  describe: string;
}
const WORD: CharRule = { char: /[\p{L}\p{N}]/u, describe: "letters and digits" };
const DASHED_WORD: CharRule = { char: /[\p{L}\p{N}-]/u, describe: "letters, digits and '-'" };
const DIGITS: CharRule = { char: /[0-9]/, describe: "digits" };
const EXT_SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;

function syntaxError(message: string, part: NamePart, fileName: string, index: number, length = 0) {
  return new NameError("E_NAME_SYNTAX", message, { part, fileName, index, length });
}

function charName(char: string): string {
  if (char === "_") return "'_' (it separates the name's fields)";
  if (char === "-") return "'-' (it separates type components and extras)";
  if (char === ".") return "'.' (the first dot starts the extension)";
  if (/\s/u.test(char)) return "whitespace";
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f
    ? `control character U+${code.toString(16).toUpperCase().padStart(4, "0")}`
    : `'${char}'`;
}

/** Check one component; `index` is its offset in `fileName`, for error positions. */
function checkComponent(
  value: string,
  part: NamePart,
  rule: CharRule,
  fileName: string,
  index: number,
): void {
  const label = PART_LABEL[part];
  if (value === "") throw syntaxError(`empty ${label}`, part, fileName, index, 0);
  let offset = 0;
  for (const char of value) {
    if (!rule.char.test(char)) {
      throw syntaxError(
        `${label} "${value}" may hold only ${rule.describe}, not ${charName(char)}`,
        part,
        fileName,
        index + offset,
        char.length,
      );
    }
    offset += char.length;
  }
}

interface Field {
  text: string;
  index: number;
}

function splitWithOffsets(text: string, separator: string, start: number): Field[] {
  const fields: Field[] = [];
  let index = start;
  for (const piece of text.split(separator)) {
    fields.push({ text: piece, index });
    index += piece.length + separator.length;
  }
  return fields;
}

function checkExtension(ext: string, fileName: string, index: number): void {
  if (ext === "") return;
  let offset = index + 1;
  for (const segment of ext.slice(1).split(".")) {
    if (!EXT_SEGMENT.test(segment)) {
      const hint = /^[0-9]/.test(segment)
        ? " (a '.' inside a name component, such as '5.0', ends the name early)"
        : "";
      throw syntaxError(
        `extension segment ".${segment}" is not a file extension${hint}`,
        "ext",
        fileName,
        offset - 1,
        segment.length + 1,
      );
    }
    offset += segment.length + 1;
  }
}

/**
 * Parse a RADIFOX file name strictly. Throws `NameError` (code `E_NAME_SYNTAX`) naming the
 * part that is wrong, with `index`/`length` pointing at it. Accepts a bare name only; pass
 * `basename(path)` for paths.
 */
export function parseName(name: string): ParsedName {
  if (name === "") throw syntaxError("empty name", "name", name, 0);
  const slash = name.indexOf("/");
  if (slash >= 0) throw syntaxError("a file name may not contain '/'", "name", name, slash, 1);
  const dot = name.indexOf(".");
  const stem = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? "" : name.slice(dot);
  const fields = splitWithOffsets(stem, "_", 0);
  const [subject, session, imageId, type, ...tagFields] = fields;
  const missing = (part: NamePart, message: string) =>
    syntaxError(message, part, name, stem.length, 0);

  if (!subject || subject.text === "") throw syntaxError("empty subject id", "subjectId", name, 0);
  checkComponent(subject.text, "subjectId", DASHED_WORD, name, subject.index);
  if (!session) throw missing("sessionId", "missing session id after the subject id");
  // The README's example name has no session: the image id then sits in the session's place.
  const looksLikeImageId = (field?: Field) => !!field && /^[0-9]+-[0-9]+$/.test(field.text);
  if (looksLikeImageId(session) && !looksLikeImageId(imageId)) {
    throw syntaxError(
      `missing session id: "${session.text}" looks like the image id`,
      "sessionId",
      name,
      session.index,
      session.text.length,
    );
  }
  checkComponent(session.text, "sessionId", DASHED_WORD, name, session.index);
  if (!imageId) throw missing("imageId", "missing image id (<study>-<series>)");
  const counters = splitWithOffsets(imageId.text, "-", imageId.index);
  if (counters.length !== 2) {
    throw syntaxError(
      `image id "${imageId.text}" must be <study>-<series>, e.g. 01-03`,
      "imageId",
      name,
      imageId.index,
      imageId.text.length,
    );
  }
  const [study, series] = counters as [Field, Field];
  checkComponent(study.text, "studyNumber", DIGITS, name, study.index);
  checkComponent(series.text, "seriesNumber", DIGITS, name, series.index);
  if (!type) {
    throw missing("imageType", `missing image type (${TYPE_COMPONENTS.join("-")})`);
  }
  const components = splitWithOffsets(type.text, "-", type.index);
  const values: string[] = [];
  for (const [i, key] of TYPE_COMPONENTS.entries()) {
    const component = components[i];
    if (!component) {
      throw syntaxError(
        `image type "${type.text}" has ${components.length} of 6 components; missing ${key} (${TYPE_COMPONENTS.join("-")})`,
        key,
        name,
        type.index + type.text.length,
        0,
      );
    }
    checkComponent(component.text, key, WORD, name, component.index);
    values.push(component.text);
  }
  const extras = components.slice(TYPE_COMPONENTS.length);
  for (const extra of extras) checkComponent(extra.text, "extras", WORD, name, extra.index);
  for (const tag of tagFields) checkComponent(tag.text, "tags", DASHED_WORD, name, tag.index);
  checkExtension(ext, name, dot);

  const [bodypart, modality, technique, acqdim, orientation, excontrast] = values as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    name,
    stem,
    subjectId: subject.text,
    sessionId: session.text,
    imageId: imageId.text,
    studyNumber: study.text,
    seriesNumber: series.text,
    imageType: type.text,
    bodypart,
    modality,
    technique,
    acqdim,
    orientation,
    excontrast,
    extras: extras.map((e) => e.text),
    tags: tagFields.map((t) => t.text),
    ext,
  };
}

function counter(value: string | number, part: "studyNumber" | "seriesNumber"): string {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw syntaxError(`${PART_LABEL[part]} ${value} must be a non-negative integer`, part, "", 0);
    }
    return String(value).padStart(2, "0");
  }
  return value;
}

/** Check one processing tag (letters, digits and `-`); throws `NameError`. */
export function checkTag(tag: string): void {
  checkComponent(tag, "tags", DASHED_WORD, tag, 0);
}

/**
 * Build a RADIFOX file name. Refuses (with `NameError`) any component that would not parse back
 * to itself: type components and extras are letters and digits only, ids and tags may also
 * contain `-`, none may contain `_`, `.` or whitespace. `parseName(formatName(p))` returns `p`.
 */
export function formatName(parts: NameInput): string {
  const study = counter(parts.studyNumber, "studyNumber");
  const series = counter(parts.seriesNumber, "seriesNumber");
  const check = (value: unknown, part: NamePart, rule: CharRule) => {
    if (typeof value !== "string") {
      throw syntaxError(`${PART_LABEL[part]} must be a string`, part, String(value), 0);
    }
    checkComponent(value, part, rule, value, 0);
  };
  check(parts.subjectId, "subjectId", DASHED_WORD);
  check(parts.sessionId, "sessionId", DASHED_WORD);
  check(study, "studyNumber", DIGITS);
  check(series, "seriesNumber", DIGITS);
  for (const key of TYPE_COMPONENTS) check(parts[key], key, WORD);
  const extras = parts.extras ?? [];
  const tags = parts.tags ?? [];
  for (const extra of extras) check(extra, "extras", WORD);
  for (const tag of tags) check(tag, "tags", DASHED_WORD);
  const ext = parts.ext ?? "";
  if (ext !== "" && !ext.startsWith(".")) {
    throw syntaxError(`extension "${ext}" must start with '.'`, "ext", ext, 0, 1);
  }
  checkExtension(ext, ext, 0);
  const type = [...TYPE_COMPONENTS.map((key) => parts[key]), ...extras].join("-");
  return [parts.subjectId, parts.sessionId, `${study}-${series}`, type, ...tags].join("_") + ext;
}

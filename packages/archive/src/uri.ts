// XNAT URIs (spec 3.4 and 4): the paths XCS puts in `uri` and accepts as input values. Reading
// is lenient (optional `/archive`, one trailing slash, percent escapes decoded); building gives
// the form XCS emits: `/archive` first and segments verbatim, since XCS does not escape them.

/** What an XNAT URI addresses: its last named segment. */
export type XnatUriKind =
  | "project"
  | "subject"
  | "experiment"
  | "scan"
  | "assessor"
  | "resource"
  | "file";

/**
 * The named segments of an XNAT URI. `experiment` is a session, a subject assessor or an image
 * assessor (XNAT files them all under `/experiments`); `file` is the path of a file relative to
 * its resource folder and may hold `/`.
 */
export interface XnatUriParts {
  /** The object the URI addresses. Optional when building: the last part given wins. */
  kind?: XnatUriKind;
  project?: string;
  subject?: string;
  experiment?: string;
  scan?: string;
  assessor?: string;
  resource?: string;
  file?: string;
}

/** The prefix XCS adds to every archive URI that lacks it. */
export const ARCHIVE_PREFIX = "/archive";

/**
 * The parts of an XNAT URI, or undefined when `uri` is not one of the forms XCS reads:
 * `/projects/P`, `/projects/P/subjects/S`, `/projects/P/subjects/S/experiments/E`,
 * `/projects/P/experiments/E`, `/subjects/S`, `/experiments/E`; below an experiment
 * `/scans/N` or `/assessors/A`; below any of these `/resources/LABEL`, and below a resource
 * `/files/relative/path`. `/archive` in front is optional, as is one trailing slash; percent
 * escapes are decoded. Empty segments, `.` and `..` are refused.
 */
export function parseXnatUri(uri: string): XnatUriParts | undefined {
  if (!uri.startsWith("/")) return undefined;
  const trimmed = uri.length > 1 && uri.endsWith("/") ? uri.slice(0, -1) : uri;
  let segments: string[];
  try {
    segments = trimmed.slice(1).split("/").map(decodeURIComponent);
  } catch {
    return undefined; // a malformed percent escape
  }
  if (segments[0] === "archive") segments = segments.slice(1);
  // An encoded slash (`..%2F..`) would smuggle a path into one segment; below `files` the
  // slashes belong to the file's path, whose every part is checked.
  const unsafe = (segment: string) => segment === "" || segment === "." || segment === "..";
  const filesAt = segments.findIndex(
    (segment, i) => segment === "files" && segments[i - 2] === "resources",
  );
  const head = filesAt < 0 ? segments : segments.slice(0, filesAt + 1);
  const tail = filesAt < 0 ? [] : segments.slice(filesAt + 1).flatMap((part) => part.split("/"));
  if (head.some((segment) => unsafe(segment) || segment.includes("/")) || tail.some(unsafe)) {
    return undefined;
  }
  const parts: XnatUriParts = {};
  let at = 0;
  // Takes `<key>/<value>` at the cursor when the key matches.
  const take = (key: string): string | undefined => {
    if (segments[at] !== key || at + 1 >= segments.length) return undefined;
    at += 2;
    return segments[at - 1];
  };
  const set = (kind: XnatUriKind, value: string | undefined): boolean => {
    if (value === undefined) return false;
    parts[kind] = value;
    parts.kind = kind;
    return true;
  };
  if (set("project", take("projects"))) set("subject", take("subjects"));
  else set("subject", take("subjects"));
  // A subject outside a project has no experiments below it in XCS's URI grammar.
  const topSubject = parts.subject !== undefined && parts.project === undefined;
  if (!topSubject && set("experiment", take("experiments"))) {
    if (!set("scan", take("scans"))) set("assessor", take("assessors"));
  }
  if (parts.kind === undefined) return undefined;
  if (set("resource", take("resources")) && segments[at] === "files" && at + 1 < segments.length) {
    parts.file = segments.slice(at + 1).join("/");
    parts.kind = "file";
    at = segments.length;
  }
  return at === segments.length ? parts : undefined;
}

/**
 * The URI of `parts` in XCS's form (`/archive/...`), segments verbatim. Throws a `RangeError`
 * for parts that no URI has (a scan without an experiment, a file without a resource, a subject
 * outside a project with an experiment, an empty segment or one holding `/`).
 * `formatXnatUri(parseXnatUri(u)!)` gives `u` back for every URI in XCS's form.
 */
export function formatXnatUri(parts: XnatUriParts): string {
  const { project, subject, experiment, scan, assessor, resource, file } = parts;
  const fail = (why: string): never => {
    throw new RangeError(`not an XNAT URI: ${why} (${JSON.stringify(parts)})`);
  };
  if (project === undefined && subject === undefined && experiment === undefined) {
    fail("no project, subject or experiment");
  }
  if ((scan !== undefined || assessor !== undefined) && experiment === undefined) {
    fail("a scan or assessor needs an experiment");
  }
  if (scan !== undefined && assessor !== undefined) fail("both a scan and an assessor");
  if (subject !== undefined && project === undefined && experiment !== undefined) {
    fail("an experiment below a subject needs the project");
  }
  if (file !== undefined && resource === undefined) fail("a file needs a resource");
  let uri = ARCHIVE_PREFIX;
  if (project !== undefined) uri += `/projects/${segment(project)}`;
  if (subject !== undefined) uri += `/subjects/${segment(subject)}`;
  if (experiment !== undefined) uri += `/experiments/${segment(experiment)}`;
  if (scan !== undefined) uri += `/scans/${segment(scan)}`;
  if (assessor !== undefined) uri += `/assessors/${segment(assessor)}`;
  if (resource !== undefined) uri += `/resources/${segment(resource)}`;
  if (file !== undefined) uri += `/files/${relativePath(file)}`;
  return uri;
}

/** `uri` with the `/archive` prefix XCS adds when it is missing. */
export function withArchivePrefix(uri: string): string {
  return uri === ARCHIVE_PREFIX || uri.startsWith(`${ARCHIVE_PREFIX}/`)
    ? uri
    : ARCHIVE_PREFIX + uri;
}

/** `/archive/projects/<project>`. */
export function projectUri(project: string): string {
  return `${ARCHIVE_PREFIX}/projects/${segment(project)}`;
}

/** `/archive/projects/<project>/subjects/<subject>`. */
export function subjectUri(project: string, subject: string): string {
  return `${projectUri(project)}/subjects/${segment(subject)}`;
}

/**
 * `<parentUri>/experiments/<experiment>`: a session loaded as a child of a subject (or a
 * project); without a parent, the archive URI `/archive/experiments/<experiment>`.
 */
export function experimentUri(experiment: string, parentUri: string = ARCHIVE_PREFIX): string {
  return `${parentUri}/experiments/${segment(experiment)}`;
}

/** `<sessionUri>/scans/<scan>`. */
export function scanUri(sessionUri: string, scan: string): string {
  return `${sessionUri}/scans/${segment(scan)}`;
}

/** `<sessionUri>/assessors/<assessor>`. */
export function assessorUri(sessionUri: string, assessor: string): string {
  return `${sessionUri}/assessors/${segment(assessor)}`;
}

/** `<parentUri>/resources/<label>` (a resource's id is its label). */
export function resourceUri(parentUri: string, label: string): string {
  return `${parentUri}/resources/${segment(label)}`;
}

/** `<resourceUri>/files/<relative path>`, the path with `/` separators. */
export function fileUri(resourceUri: string, relative: string): string {
  return `${resourceUri}/files/${relativePath(relative)}`;
}

/**
 * The URI one level up, in XCS's form: a file's resource, a resource's parent (its
 * `parent-uri`), a scan's or assessor's experiment, an experiment's subject or project, a
 * subject's project. Undefined for a project, a top-level experiment or subject, and for text
 * that is not an XNAT URI.
 */
export function parentXnatUri(uri: string): string | undefined {
  const parts = parseXnatUri(uri);
  if (parts === undefined) return undefined;
  const up: XnatUriParts = { ...parts };
  if (parts.kind !== undefined) delete up[parts.kind];
  delete up.kind;
  if (up.project === undefined && up.subject === undefined && up.experiment === undefined) {
    return undefined;
  }
  return formatXnatUri(up);
}

function segment(value: string): string {
  if (value === "" || value.includes("/") || value === "." || value === "..") {
    throw new RangeError(`not an XNAT URI segment: ${JSON.stringify(value)}`);
  }
  return value;
}

function relativePath(value: string): string {
  for (const part of value.split("/")) segment(part);
  return value;
}

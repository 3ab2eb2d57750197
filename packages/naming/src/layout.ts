// The RADIFOX study layout: <output-root>/<project>/<PROJECT>[-<SITE>]-<SUBJECT>/<SESSION>/...
import { basename, dirname, join, resolve } from "node:path";

/** The folders of a session and who makes them. */
export const SESSION_FOLDERS = {
  /** Sorted DICOM copy (radifox-convert). */
  dcm: "dcm",
  /** Sorted PAR/REC copy (radifox-convert). */
  parrec: "parrec",
  /** Converted NIfTI images and their JSON sidecars. */
  nii: "nii",
  /** Log files of conversion and processing modules. */
  logs: "logs",
  /** QA montages: `qa/<module>/<stem>.png`. */
  qa: "qa",
  /** Processed images (by convention). */
  proc: "proc",
  /** Images chosen by staging, with their `.prov` records and registration targets. */
  stage: "stage",
  /** Intermediate files (by convention). */
  tmp: "tmp",
  /** Previous conversion kept while radifox-update runs. */
  prev: "prev",
} as const;

export type SessionFolder = keyof typeof SESSION_FOLDERS;

/** Every path of one session folder. */
export interface SessionLayout {
  /** The session folder. */
  dir: string;
  /** The subject folder (`PROJECT[-SITE]-SUBJECT`). */
  subjectDir: string;
  /** The subject folder's name. */
  subjectName: string;
  /** The session folder's name (`1`, or `1-2` for a `--safe` conversion attempt). */
  sessionName: string;
  /** The session id used in image names (the folder name unless given). */
  sessionId: string;
  folders: { readonly [K in SessionFolder]: string };
  /** `<subject>_<session id>_UnconvertedInfo.json` (radifox-convert). */
  unconvertedInfo: string;
  /**
   * `<subject>_<session id>_ManualNaming.json`, the name radifox-convert and radifox-update read.
   * (The QA app writes `<subject>_<session folder>_ManualNaming.json`, which differs only for
   * `--safe` attempt folders; see `manualNamingQaApp`.)
   */
  manualNaming: string;
  /** `<subject>_<session folder>_ManualNaming.json`, as the QA app writes it. */
  manualNamingQaApp: string;
  /** `<subject>_<session folder>_Provenance.yml`: every processing record of the session. */
  provenance: string;
  /** `<subject>_<session folder>_QA.yml`: pass/fail decisions from the QA app. */
  qaRecord: string;
  /** `qa/<module>/`: QA montages of a processing module's outputs. */
  qaDir(module: string): string;
  /** `logs/<module>/`: per-input log files of a processing module. */
  logDir(module: string): string;
}

/** The layout of an existing (or planned) session folder. Touches no files. */
export function sessionLayout(
  sessionDir: string,
  options: { sessionId?: string } = {},
): SessionLayout {
  const dir = resolve(sessionDir);
  const subjectDir = dirname(dir);
  const subjectName = basename(subjectDir);
  const sessionName = basename(dir);
  const sessionId = options.sessionId ?? sessionName;
  const folders = Object.fromEntries(
    Object.entries(SESSION_FOLDERS).map(([key, name]) => [key, join(dir, name)]),
  ) as { [K in SessionFolder]: string };
  const file = (session: string, suffix: string) =>
    join(dir, `${subjectName}_${session}_${suffix}`);
  return {
    dir,
    subjectDir,
    subjectName,
    sessionName,
    sessionId,
    folders,
    unconvertedInfo: file(sessionId, "UnconvertedInfo.json"),
    manualNaming: file(sessionId, "ManualNaming.json"),
    manualNamingQaApp: file(sessionName, "ManualNaming.json"),
    provenance: file(sessionName, "Provenance.yml"),
    qaRecord: file(sessionName, "QA.yml"),
    qaDir: (module) => join(folders.qa, module),
    logDir: (module) => join(folders.logs, module),
  };
}

/** Ids of a session as radifox-convert takes them. */
export interface SessionIds {
  projectId: string;
  subjectId: string;
  sessionId: string;
  siteId?: string | undefined;
}

/** The subject folder name: `PROJECT-SUBJECT` or `PROJECT-SITE-SUBJECT`, upper-cased as radifox-convert does. */
export function subjectFolderName(ids: Omit<SessionIds, "sessionId">): string {
  const parts = [ids.projectId, ...(ids.siteId ? [ids.siteId] : []), ids.subjectId];
  return parts.join("-").toUpperCase();
}

/**
 * Where radifox-convert puts a session: `<root>/<project lower-case>/<subject>/<SESSION>`
 * (without the project folder when `noProjectSubdir` is set).
 */
export function sessionPath(
  outputRoot: string,
  ids: SessionIds,
  options: { noProjectSubdir?: boolean } = {},
): string {
  const projectDir = options.noProjectSubdir
    ? resolve(outputRoot)
    : join(resolve(outputRoot), ids.projectId.toLowerCase());
  return join(projectDir, subjectFolderName(ids), ids.sessionId.toUpperCase());
}

/**
 * How a resolver reaches archive objects that are not already in hand: by URI, by id, or by
 * walking a project. Implemented by the archives on disk (XNAT and RADIFOX layouts).
 */
import type { XnatObject, XnatProject, XnatSession, XnatType } from "./model.js";

export interface LoadOptions {
  /**
   * The child types to load below the requested object; children of other types appear as
   * empty lists. XCS loads only the types a wrapper's inputs need, and so do we. Default: all.
   * Example: `new Set(["Subject", "Session"])` on a Project gives its subjects and their
   * sessions, without scans, resources or files.
   */
  readonly include?: ReadonlySet<XnatType>;
}

export interface XnatObjectSource {
  /**
   * The object at an XNAT URI, with or without the `/archive` prefix:
   * `/projects/P`, `/projects/P/subjects/S`, `/projects/P/subjects/S/experiments/E`,
   * `/experiments/E`, `/experiments/E/scans/1`, `/experiments/E/assessors/A`,
   * `.../resources/LABEL`, `.../resources/LABEL/files/relative/path`. Undefined when absent.
   */
  byUri(uri: string, options?: LoadOptions): XnatObject | undefined;
  /**
   * The object XCS finds for a plain id: Project (id or alias), ProjectAsset, Subject,
   * SubjectAssessor, Session, Assessor (accession ids) and Resource (numeric `integer-id`).
   * Scans have no site-wide id, so `byId("Scan", …)` is always undefined, as in XCS.
   */
  byId(type: XnatType, id: string, options?: LoadOptions): XnatObject | undefined;
}

/** An archive on disk, seen as XNAT objects. */
export interface XnatArchive extends XnatObjectSource {
  /** The folder the archive was opened from. */
  readonly root: string;
  readonly layout: "xnat" | "radifox";
  /** Every project, without children. */
  projects(): Iterable<XnatProject>;
  /** The sessions of a project one at a time, children per `options` (default: none). */
  sessions(projectId: string, options?: LoadOptions): Iterable<XnatSession>;
}

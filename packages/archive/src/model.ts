/**
 * The XNAT objects as XNAT Container Service serialises them for its matchers and templates
 * (spec: xcs.md §4). Field names are the JSON names XCS emits: kebab-case except `xsiType`.
 * Null fields are left out (XCS writes with NON_NULL); child lists are always present, empty when
 * the children were not loaded or do not exist.
 */

/** The `type` discriminator of every XNAT object. */
export type XnatType =
  | "Project"
  | "ProjectAsset"
  | "Subject"
  | "SubjectAssessor"
  | "Session"
  | "Scan"
  | "Assessor"
  | "Resource"
  | "File";

/** Every XNAT object type, in the order of the spec's table. */
export const XNAT_TYPES: readonly XnatType[] = [
  "Project",
  "ProjectAsset",
  "Subject",
  "SubjectAssessor",
  "Session",
  "Scan",
  "Assessor",
  "Resource",
  "File",
];

export function isXnatType(value: unknown): value is XnatType {
  return typeof value === "string" && (XNAT_TYPES as readonly string[]).includes(value);
}

/** Fields every object may carry. */
export interface XnatObjectBase {
  type: XnatType;
  id?: string;
  label?: string;
  xsiType?: string;
  uri?: string;
  directory?: string;
  "datatype-string"?: string;
}

export interface XnatProject extends XnatObjectBase {
  type: "Project";
  title?: string;
  "running-title"?: string;
  description?: string;
  keywords?: string;
  accessibility?: string;
  aliases?: string[];
  resources: XnatResource[];
  subjects: XnatSubject[];
  "project-assets": XnatProjectAsset[];
}

export interface XnatProjectAsset extends XnatObjectBase {
  type: "ProjectAsset";
  "project-id"?: string;
  sessions: XnatSession[];
  subjects: XnatSubject[];
  resources: XnatResource[];
}

export interface XnatSubject extends XnatObjectBase {
  type: "Subject";
  "project-id"?: string;
  group?: string;
  source?: string;
  initials?: string;
  sessions: XnatSession[];
  resources: XnatResource[];
  "subject-assessors": XnatSubjectAssessor[];
}

export interface XnatSubjectAssessor extends XnatObjectBase {
  type: "SubjectAssessor";
  "project-id"?: string;
  "subject-id"?: string;
  resources: XnatResource[];
}

export interface XnatSession extends XnatObjectBase {
  type: "Session";
  "project-id"?: string;
  "shared-from-project-id"?: string;
  "subject-id"?: string;
  "visit-id"?: string;
  scans: XnatScan[];
  assessors: XnatAssessor[];
  resources: XnatResource[];
}

export interface XnatScan extends XnatObjectBase {
  type: "Scan";
  "integer-id"?: number;
  "scan-type"?: string;
  "project-id"?: string;
  "session-id"?: string;
  frames?: number;
  note?: string;
  modality?: string;
  quality?: string;
  scanner?: string;
  "scanner-manufacturer"?: string;
  "scanner-model"?: string;
  "scanner-software-version"?: string;
  "series-description"?: string;
  "start-time"?: string;
  uid?: string;
  resources: XnatResource[];
}

export interface XnatAssessor extends XnatObjectBase {
  type: "Assessor";
  "project-id"?: string;
  "session-id"?: string;
  name?: string;
  resources: XnatResource[];
}

export interface XnatResource extends XnatObjectBase {
  type: "Resource";
  "integer-id"?: number;
  "parent-uri"?: string;
  files: XnatFile[];
}

export interface XnatFile extends XnatObjectBase {
  type: "File";
  name?: string;
  path?: string;
  tags: string[];
  format?: string;
  content?: string;
  size?: number;
  checksum?: string;
}

export type XnatObject =
  | XnatProject
  | XnatProjectAsset
  | XnatSubject
  | XnatSubjectAssessor
  | XnatSession
  | XnatScan
  | XnatAssessor
  | XnatResource
  | XnatFile;

/** The object of a given `type`. */
export type XnatObjectOf<T extends XnatType> = Extract<XnatObject, { type: T }>;

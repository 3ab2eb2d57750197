export { ArchiveError, type ArchiveErrorCode } from "./errors.js";
export { includesType, serializeXnatObject } from "./load.js";
export * from "./model.js";
export { detectArchiveLayout, type OpenArchiveOptions, openArchive } from "./open.js";
export {
  openRadifoxArchive,
  type RadifoxArchive,
  type RadifoxArchiveOptions,
  type RadifoxProblem,
} from "./radifox/index.js";
export type { LoadOptions, XnatArchive, XnatObjectSource } from "./source.js";
export {
  type ArchiveTree,
  type ArchiveTreeOptions,
  archiveTree,
  formatArchiveTree,
} from "./tree.js";
export {
  ARCHIVE_PREFIX,
  assessorUri,
  experimentUri,
  fileUri,
  formatXnatUri,
  parentXnatUri,
  parseXnatUri,
  projectUri,
  resourceUri,
  scanUri,
  subjectUri,
  withArchivePrefix,
  type XnatUriKind,
  type XnatUriParts,
} from "./uri.js";
export { openXnatArchive, type XnatArchiveOptions } from "./xnat/archive.js";
export {
  type GeneratedXnatArchive,
  type GenerateXnatArchiveOptions,
  generateXnatArchive,
} from "./xnat/generate.js";
export {
  type ImportDcm2niixOptions,
  type ImportedSession,
  importDcm2niix,
} from "./xnat/import.js";
export type {
  AssessorMetadata,
  ProjectMetadata,
  ResourceMetadata,
  ScanMetadata,
  SessionMetadata,
  SubjectMetadata,
} from "./xnat/metadata.js";

// XNAT objects built from the metadata files and the folders of the XNAT layout. Children are
// the union of what the metadata lists (in its order) and what the folders hold (after it, in
// code-point order, numeric scan ids by value): a scan folder without metadata is still a scan,
// a resource folder is always a resource.
import { basename, join } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { includesType, withoutUndefined } from "../load.js";
import type {
  XnatAssessor,
  XnatFile,
  XnatResource,
  XnatScan,
  XnatSession,
  XnatSubjectAssessor,
} from "../model.js";
import type { LoadOptions } from "../source.js";
import { assessorUri, fileUri, resourceUri, scanUri } from "../uri.js";
import {
  LAYOUT,
  listFolders,
  listResourceFiles,
  type ResourceFile,
  resourceIntegerId,
} from "./disk.js";
import type {
  AssessorMetadata,
  ResourceMetadata,
  ScanMetadata,
  SessionMetadata,
} from "./metadata.js";

/** Default `xsiType`s, as a plain XNAT installation names its data types. */
export const XSI_TYPES = {
  project: "xnat:projectData",
  subject: "xnat:subjectData",
  session: "xnat:mrSessionData",
  subjectAssessor: "xnat:subjectAssessorData",
  scan: "xnat:imageScanData",
  assessor: "xnat:imageAssessorData",
  resource: "xnat:resourceCatalog",
} as const;

/** A session folder with its metadata read and its ids settled. */
export interface SessionInfo {
  readonly project: string;
  /** The folder name in `arc001` (XNAT names it by the label). */
  readonly folder: string;
  readonly dir: string;
  readonly meta: SessionMetadata;
  readonly id: string;
  readonly label: string;
  /** The subject's id, as resolved against `project.json` (or as written when unknown there). */
  readonly subjectId: string | undefined;
}

/** A resource of some object: from its folder, its metadata, or both. */
export interface ResourceEntry {
  readonly label: string;
  readonly dir: string;
  readonly exists: boolean;
  readonly meta: ResourceMetadata | undefined;
}

/** The resources of an object whose resource folders are in `parentDir`. */
export function resourceEntries(
  parentDir: string,
  metas: readonly ResourceMetadata[],
): ResourceEntry[] {
  const folders = listFolders(parentDir);
  const present = new Set(folders);
  const listed = new Set(metas.map((meta) => meta.label));
  return [
    ...metas.map((meta) => ({
      label: meta.label,
      dir: join(parentDir, meta.label),
      exists: present.has(meta.label),
      meta,
    })),
    ...folders
      .filter((label) => !listed.has(label))
      .map((label) => ({ label, dir: join(parentDir, label), exists: true, meta: undefined })),
  ];
}

/** The resource named `key` (label, or its `integer-id` written as a number), if any. */
export function findResourceEntry(
  root: string,
  entries: readonly ResourceEntry[],
  key: string,
): ResourceEntry | undefined {
  const byLabel = entries.find((entry) => entry.label === key);
  if (byLabel !== undefined || !/^\d+$/.test(key)) return byLabel;
  return entries.find((entry) => String(resourceIntegerId(root, entry.dir)) === key);
}

export function buildResource(
  root: string,
  entry: ResourceEntry,
  parentUri: string,
  options: LoadOptions | undefined,
): XnatResource {
  const uri = resourceUri(parentUri, entry.label);
  const files =
    includesType(options, "File") && entry.exists
      ? listResourceFiles(entry.dir).map((file) => buildFile(uri, entry.meta, file))
      : [];
  return withoutUndefined({
    type: "Resource",
    id: entry.label,
    label: entry.label,
    xsiType: XSI_TYPES.resource,
    uri,
    directory: entry.exists ? entry.dir : undefined,
    "integer-id": resourceIntegerId(root, entry.dir),
    "parent-uri": parentUri,
    files,
  });
}

export function buildResources(
  root: string,
  parentDir: string,
  metas: readonly ResourceMetadata[],
  parentUri: string,
  options: LoadOptions | undefined,
): XnatResource[] {
  if (!includesType(options, "Resource")) return [];
  return resourceEntries(parentDir, metas).map((entry) =>
    buildResource(root, entry, parentUri, options),
  );
}

/**
 * A file of a resource. `format`, `content` and `tags` are the resource's catalog columns from
 * the metadata (XCS fills `content` with the format, a bug; here it is the content).
 */
export function buildFile(
  resourceUri: string,
  meta: ResourceMetadata | undefined,
  file: ResourceFile,
): XnatFile {
  const name = basename(file.path);
  return withoutUndefined({
    type: "File",
    label: name,
    uri: fileUri(resourceUri, file.relative),
    name,
    path: file.path,
    tags: [...(meta?.tags ?? [])],
    format: meta?.format,
    content: meta?.content,
    size: file.size,
  });
}

/** A scan of a session: its metadata entry, its folder, or both. */
export interface ScanEntry {
  readonly id: string;
  readonly dir: string;
  readonly exists: boolean;
  readonly meta: ScanMetadata | undefined;
}

const NUMERIC = /^\d+$/;

/** Numeric ids by value first, then the others in code-point order (folder listing order). */
function compareScanIds(a: string, b: string): number {
  const numericA = NUMERIC.test(a);
  const numericB = NUMERIC.test(b);
  if (numericA && numericB) return Number(a) - Number(b) || compareCodePoints(a, b);
  if (numericA !== numericB) return numericA ? -1 : 1;
  return compareCodePoints(a, b);
}

export function scanEntries(info: SessionInfo): ScanEntry[] {
  if (info.meta.type === "SubjectAssessor") return [];
  const scansDir = join(info.dir, LAYOUT.scans);
  const folders = listFolders(scansDir);
  const present = new Set(folders);
  const listed = new Set(info.meta.scans.map((scan) => scan.id));
  return [
    ...info.meta.scans.map((meta) => ({
      id: meta.id,
      dir: join(scansDir, meta.id),
      exists: present.has(meta.id),
      meta,
    })),
    ...folders
      .filter((id) => !listed.has(id))
      .sort(compareScanIds)
      .map((id) => ({ id, dir: join(scansDir, id), exists: true, meta: undefined })),
  ];
}

/** `xnat:mrSessionData` → `xnat:mrScanData`; other session types → `xnat:imageScanData`. */
function scanXsiType(sessionXsiType: string | undefined): string {
  const match = /^(\w+):(\w+)SessionData$/.exec(sessionXsiType ?? XSI_TYPES.session);
  return match ? `${match[1]}:${match[2]}ScanData` : XSI_TYPES.scan;
}

export function buildScan(
  root: string,
  info: SessionInfo,
  entry: ScanEntry,
  sessionUri: string,
  options: LoadOptions | undefined,
): XnatScan {
  const meta = entry.meta;
  const uri = scanUri(sessionUri, entry.id);
  const scanType = meta?.type;
  return withoutUndefined({
    type: "Scan",
    id: entry.id,
    // XCS writes "<id> - null" for a scan without a type; the id alone is what was meant.
    label: scanType === undefined ? entry.id : `${entry.id} - ${scanType}`,
    xsiType: meta?.xsiType ?? scanXsiType(info.meta.xsiType),
    uri,
    directory: entry.exists ? entry.dir : undefined,
    "integer-id":
      meta?.["integer-id"] ?? (NUMERIC.test(entry.id) ? safeNumber(entry.id) : undefined),
    "scan-type": scanType,
    "project-id": info.project,
    "session-id": info.id,
    frames: meta?.frames,
    note: meta?.note,
    modality: meta?.modality,
    quality: meta?.quality,
    scanner: meta?.scanner,
    "scanner-manufacturer": meta?.["scanner-manufacturer"],
    "scanner-model": meta?.["scanner-model"],
    "scanner-software-version": meta?.["scanner-software-version"],
    "series-description": meta?.["series-description"],
    "start-time": meta?.["start-time"],
    uid: meta?.uid,
    resources: buildResources(root, entry.dir, meta?.resources ?? [], uri, options),
  });
}

function safeNumber(text: string): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** An image assessor of a session: its metadata entry, its folder in `ASSESSORS/`, or both. */
export interface AssessorEntry {
  readonly id: string;
  readonly label: string;
  readonly dir: string;
  readonly exists: boolean;
  readonly meta: AssessorMetadata | undefined;
}

export function assessorEntries(info: SessionInfo): AssessorEntry[] {
  if (info.meta.type === "SubjectAssessor") return [];
  const assessorsDir = join(info.dir, LAYOUT.assessors);
  const folders = listFolders(assessorsDir);
  const present = new Set(folders);
  const claimed = new Set(info.meta.assessors.map((assessor) => assessor.dir));
  return [
    ...info.meta.assessors.map((meta) => ({
      id: meta.id,
      label: meta.label,
      dir: join(assessorsDir, meta.dir),
      exists: present.has(meta.dir),
      meta,
    })),
    ...folders
      .filter((dir) => !claimed.has(dir))
      .map((dir) => ({
        id: dir,
        label: dir,
        dir: join(assessorsDir, dir),
        exists: true,
        meta: undefined,
      })),
  ];
}

export function buildAssessor(
  root: string,
  info: SessionInfo,
  entry: AssessorEntry,
  uri: string,
  options: LoadOptions | undefined,
): XnatAssessor {
  return withoutUndefined({
    type: "Assessor",
    id: entry.id,
    label: entry.label,
    xsiType: entry.meta?.xsiType ?? XSI_TYPES.assessor,
    uri,
    directory: entry.exists ? entry.dir : undefined,
    "project-id": info.project,
    "session-id": info.id,
    name: entry.meta?.name,
    resources: buildResources(root, entry.dir, entry.meta?.resources ?? [], uri, options),
  });
}

export function buildSession(
  root: string,
  info: SessionInfo,
  uri: string,
  options: LoadOptions | undefined,
): XnatSession {
  return withoutUndefined({
    type: "Session",
    id: info.id,
    label: info.label,
    xsiType: info.meta.xsiType ?? XSI_TYPES.session,
    uri,
    directory: info.dir,
    "project-id": info.project,
    "subject-id": info.subjectId,
    "visit-id": info.meta["visit-id"],
    scans: includesType(options, "Scan")
      ? scanEntries(info).map((entry) => buildScan(root, info, entry, uri, options))
      : [],
    assessors: includesType(options, "Assessor")
      ? assessorEntries(info).map((entry) =>
          buildAssessor(root, info, entry, assessorUri(uri, entry.id), options),
        )
      : [],
    resources: sessionResources(root, info, uri, options),
  });
}

export function buildSubjectAssessor(
  root: string,
  info: SessionInfo,
  uri: string,
  options: LoadOptions | undefined,
): XnatSubjectAssessor {
  return withoutUndefined({
    type: "SubjectAssessor",
    id: info.id,
    label: info.label,
    xsiType: info.meta.xsiType ?? XSI_TYPES.subjectAssessor,
    uri,
    directory: info.dir,
    "project-id": info.project,
    "subject-id": info.subjectId,
    resources: sessionResources(root, info, uri, options),
  });
}

function sessionResources(
  root: string,
  info: SessionInfo,
  uri: string,
  options: LoadOptions | undefined,
): XnatResource[] {
  const dir = join(info.dir, LAYOUT.sessionResources);
  return buildResources(root, dir, info.meta.resources, uri, options);
}

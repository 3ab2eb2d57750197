// XNAT object JSON documents (XCS's test fixtures: sessions with scans, projects with subjects, a
// lone resource) written as an archive in the XNAT layout of @xcs/archive: project.json,
// arc001/<session>/session.json, and one folder with one small file per resource. Ids and labels
// are kept as the fixtures have them.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One XNAT object as XCS serialises it (kebab-case keys; unknown keys are ignored). */
export type FixtureObject = Record<string, unknown>;

export interface WrittenArchive {
  root: string;
  project: string;
  /** The project folder (`<root>/<project>`). */
  projectDir: string;
  /** Session folders by session label. */
  sessionDirs: Map<string, string>;
  /** The archive URI of every object written, by the fixture's own `uri`. */
  uris: Map<string, string>;
}

export interface WriteOptions {
  /**
   * The session that holds scans and resources given on their own (a fixture `Scan`, or a
   * `Resource` whose URI names no session). Default `session`.
   */
  holderSession?: string;
}

/** The scan fields `session.json` knows, copied as they are (besides `type` and `frames`). */
const SCAN_FIELDS = [
  "xsiType",
  "series-description",
  "quality",
  "note",
  "modality",
  "uid",
  "start-time",
  "scanner",
  "scanner-manufacturer",
  "scanner-model",
  "scanner-software-version",
] as const;

const PROJECT_FIELDS = [
  "label",
  "xsiType",
  "title",
  "running-title",
  "description",
  "keywords",
  "accessibility",
] as const;

interface ResourceEntry {
  meta: Record<string, unknown>;
  /** Relative paths of the files to write. */
  files: string[];
}

interface SessionEntry {
  meta: Record<string, unknown>;
  scans: { meta: Record<string, unknown>; resources: ResourceEntry[] }[];
  assessors: { meta: Record<string, unknown>; dir: string; resources: ResourceEntry[] }[];
  resources: ResourceEntry[];
}

/**
 * Writes `objects` (Project, Subject, Session, SubjectAssessor, Scan or Resource documents) into
 * the project `projectId` of the XNAT-layout archive at `root` (created if missing), and returns
 * where everything went. A Project document must have the id `projectId`.
 */
export function writeArchiveFromObjects(
  root: string,
  projectId: string,
  objects: readonly FixtureObject[],
  options: WriteOptions = {},
): WrittenArchive {
  const holder = options.holderSession ?? "session";
  const projectDir = join(root, projectId);
  const projectUri = `/archive/projects/${projectId}`;
  const project: Record<string, unknown> = { id: projectId };
  const subjects: { meta: Record<string, unknown>; resources: ResourceEntry[] }[] = [];
  const projectResources: ResourceEntry[] = [];
  const sessions = new Map<string, SessionEntry>();
  const uris = new Map<string, string>();
  const note = (object: FixtureObject, uri: string) => {
    const own = text(object.uri);
    if (own !== undefined) uris.set(own, uri);
  };

  const session = (label: string): SessionEntry => {
    let entry = sessions.get(label);
    if (entry === undefined) {
      entry = { meta: { label }, scans: [], assessors: [], resources: [] };
      sessions.set(label, entry);
    }
    return entry;
  };
  const resourcesOf = (object: FixtureObject, parentUri: string) =>
    list(object.resources).map((resource) => addResource(resource, parentUri));
  const addResource = (object: FixtureObject, parentUri: string): ResourceEntry => {
    const label = required(object, "label");
    note(object, `${parentUri}/resources/${label}`);
    const meta: Record<string, unknown> = { label };
    for (const key of ["format", "content"] as const) {
      const value = text(object[key]);
      if (value !== undefined) meta[key] = value;
    }
    if (Array.isArray(object.tags)) meta.tags = object.tags.map(String);
    const files = list(object.files).map((file) => {
      const uri = text(file.uri);
      const at = uri?.indexOf("/files/") ?? -1;
      const relative = uri !== undefined && at >= 0 ? uri.slice(at + 7) : required(file, "name");
      note(file, `${parentUri}/resources/${label}/files/${relative}`);
      return relative;
    });
    return { meta, files: files.length > 0 ? files : ["file.txt"] };
  };
  const addScan = (entry: SessionEntry, object: FixtureObject, sessionUri: string) => {
    const id = required(object, "id");
    const uri = `${sessionUri}/scans/${id}`;
    note(object, uri);
    const meta: Record<string, unknown> = { id };
    const type = text(object["scan-type"]);
    if (type !== undefined) meta.type = type;
    for (const key of SCAN_FIELDS) {
      const value = text(object[key]);
      if (value !== undefined) meta[key] = value;
    }
    const frames = object.frames;
    if (typeof frames === "number" || (typeof frames === "string" && /^\d+$/.test(frames)))
      meta.frames = Number(frames);
    const existing = entry.scans.find((scan) => scan.meta.id === id);
    const resources = resourcesOf(object, uri);
    if (existing === undefined) entry.scans.push({ meta, resources });
    else existing.resources.push(...resources);
  };
  const addSession = (object: FixtureObject, subject?: string) => {
    const label = text(object.label) ?? required(object, "id");
    const id = text(object.id) ?? label;
    const uri = `/archive/experiments/${id}`;
    note(object, uri);
    const entry = session(label);
    entry.meta.id = id;
    if (object.type === "SubjectAssessor") entry.meta.type = "SubjectAssessor";
    for (const key of ["xsiType", "visit-id"] as const) {
      const value = text(object[key]);
      if (value !== undefined) entry.meta[key] = value;
    }
    const owner = subject ?? text(object["subject-id"]);
    if (owner !== undefined) entry.meta.subject = owner;
    for (const scan of list(object.scans)) addScan(entry, scan, uri);
    for (const assessor of list(object.assessors)) {
      const assessorId = text(assessor.id) ?? required(assessor, "label");
      const assessorLabel = text(assessor.label) ?? assessorId;
      const assessorUri = `${uri}/assessors/${assessorId}`;
      note(assessor, assessorUri);
      const meta: Record<string, unknown> = { id: assessorId, label: assessorLabel };
      for (const key of ["xsiType", "name"] as const) {
        const value = text(assessor[key]);
        if (value !== undefined) meta[key] = value;
      }
      const resources = resourcesOf(assessor, assessorUri);
      entry.assessors.push({ meta, dir: assessorLabel, resources });
    }
    entry.resources.push(...resourcesOf(object, uri));
  };
  const addSubject = (object: FixtureObject) => {
    const id = text(object.id) ?? required(object, "label");
    const label = text(object.label) ?? id;
    const uri = `${projectUri}/subjects/${id}`;
    note(object, uri);
    const meta: Record<string, unknown> = { id, label };
    for (const key of ["group", "source", "initials"] as const) {
      const value = text(object[key]);
      if (value !== undefined) meta[key] = value;
    }
    subjects.push({ meta, resources: resourcesOf(object, uri) });
    for (const each of [...list(object.sessions), ...list(object.experiments)])
      addSession(each, id);
  };

  for (const object of objects) {
    switch (object.type) {
      case "Project": {
        const id = required(object, "id");
        if (id !== projectId)
          throw new Error(`project document ${id} written as project ${projectId}`);
        note(object, projectUri);
        for (const key of PROJECT_FIELDS) {
          const value = text(object[key]);
          if (value !== undefined) project[key] = value;
        }
        if (Array.isArray(object.aliases)) project.aliases = object.aliases.map(String);
        for (const subject of list(object.subjects)) addSubject(subject);
        projectResources.push(...resourcesOf(object, projectUri));
        break;
      }
      case "Subject":
        addSubject(object);
        break;
      case "Session":
      case "SubjectAssessor":
        addSession(object);
        break;
      case "Scan":
        addScan(session(holder), object, `/archive/experiments/${holder}`);
        break;
      case "Resource": {
        // "/scans/0/resources/0": a resource of scan 0 (of the holder session).
        const scanId = /\/scans\/([^/]+)\/resources\//.exec(text(object.uri) ?? "")?.[1];
        const entry = session(holder);
        const sessionUri = `/archive/experiments/${holder}`;
        if (scanId === undefined) {
          entry.resources.push(addResource(object, sessionUri));
        } else {
          addScan(entry, { id: scanId }, sessionUri);
          const scan = entry.scans.find((each) => each.meta.id === scanId);
          scan?.resources.push(addResource(object, `${sessionUri}/scans/${scanId}`));
        }
        break;
      }
      default:
        throw new Error(`cannot write an object of type ${String(object.type)}`);
    }
  }
  for (const entry of sessions.values()) entry.meta.id ??= entry.meta.label;

  mkdirSync(join(projectDir, "arc001"), { recursive: true });
  writeJson(join(projectDir, "project.json"), {
    ...project,
    subjects: subjects.map((subject) => ({
      ...subject.meta,
      resources: subject.resources.map((resource) => resource.meta),
    })),
    resources: projectResources.map((resource) => resource.meta),
  });
  writeResources(join(projectDir, "resources"), projectResources);
  for (const subject of subjects) {
    const dir = join(projectDir, "subjects", String(subject.meta.label), "resources");
    writeResources(dir, subject.resources);
  }
  const sessionDirs = new Map<string, string>();
  for (const [label, entry] of sessions) {
    const dir = join(projectDir, "arc001", label);
    sessionDirs.set(label, dir);
    mkdirSync(dir, { recursive: true });
    writeJson(join(dir, "session.json"), {
      ...entry.meta,
      scans: entry.scans.map((scan) => ({
        ...scan.meta,
        resources: scan.resources.map((resource) => resource.meta),
      })),
      assessors: entry.assessors.map((assessor) => ({
        ...assessor.meta,
        dir: assessor.dir,
        resources: assessor.resources.map((resource) => resource.meta),
      })),
      resources: entry.resources.map((resource) => resource.meta),
    });
    for (const scan of entry.scans) {
      const scanDir = join(dir, "SCANS", String(scan.meta.id));
      mkdirSync(scanDir, { recursive: true });
      writeResources(scanDir, scan.resources);
    }
    for (const assessor of entry.assessors) {
      const assessorDir = join(dir, "ASSESSORS", assessor.dir);
      mkdirSync(assessorDir, { recursive: true });
      writeResources(assessorDir, assessor.resources);
    }
    writeResources(join(dir, "RESOURCES"), entry.resources);
  }
  return { root, project: projectId, projectDir, sessionDirs, uris };
}

function writeResources(parent: string, resources: readonly ResourceEntry[]): void {
  for (const resource of resources) {
    const dir = join(parent, String(resource.meta.label));
    mkdirSync(dir, { recursive: true });
    for (const file of resource.files) {
      const path = join(dir, file);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, `fixture file ${file}\n`);
    }
  }
}

function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Ids in the fixtures are sometimes numbers (`"id": 0`); every text field is read as text. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function required(object: FixtureObject, key: string): string {
  const value = text(object[key]);
  if (value === undefined)
    throw new Error(`fixture object without ${key}: ${JSON.stringify(object)}`);
  return value;
}

function list(value: unknown): FixtureObject[] {
  if (!Array.isArray(value)) return [];
  return value.filter((each): each is FixtureObject => typeof each === "object" && each !== null);
}

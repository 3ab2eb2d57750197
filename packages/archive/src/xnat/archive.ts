// The XNAT layout as an XnatArchive: `<root>/<project>/project.json`, sessions in
// `<root>/<project>/arc001/<label>/` with `session.json`, resources as folders (README, "The XNAT layout").
//
// Lookups read as little as they can: a session asked for by id or label is first looked for in
// the folder of that name (one stat, one small JSON read), which is where XNAT puts it. Only when
// that misses (ids that differ from labels, assessors, subjects' sessions) is a project's session
// index built: every session.json read once, ~100 bytes per session kept, rebuilt when the
// arc001 folder or project.json changes. Resources by numeric id walk the folders of the whole
// archive once (no file reads). Objects themselves are never cached: each lookup reads them.
import { statSync } from "node:fs";
import { join } from "node:path";
import { ArchiveError } from "../errors.js";
import { includesType, withoutUndefined } from "../load.js";
import type { XnatObject, XnatProject, XnatSession, XnatSubject, XnatType } from "../model.js";
import type { LoadOptions, XnatArchive } from "../source.js";
import {
  assessorUri,
  experimentUri,
  formatXnatUri,
  parseXnatUri,
  projectUri,
  resourceUri,
  scanUri,
  subjectUri,
  type XnatUriParts,
} from "../uri.js";
import { isDirectory, isFile, LAYOUT, listFolders, resourceIntegerId } from "./disk.js";
import {
  type ProjectMetadata,
  type ResourceMetadata,
  readProjectMetadata,
  readSessionMetadata,
  type SubjectMetadata,
} from "./metadata.js";
import {
  type AssessorEntry,
  assessorEntries,
  buildAssessor,
  buildFile,
  buildResource,
  buildResources,
  buildScan,
  buildSession,
  buildSubjectAssessor,
  findResourceEntry,
  resourceEntries,
  type SessionInfo,
  scanEntries,
  XSI_TYPES,
} from "./objects.js";

export interface XnatArchiveOptions {
  /**
   * Called with the path of every metadata file (project.json, session.json) just before it is
   * read: to trace what a lookup costs, or to check in a test that it reads only what it needs.
   */
  readonly onMetadataRead?: (path: string) => void;
}

/**
 * Opens the XNAT-layout archive at `root` (a folder of project folders). Nothing but the root is
 * read until a lookup asks; see the README for the layout and the metadata files. Throws an
 * {@link ArchiveError} `E_ARCHIVE_ROOT` when `root` is not a folder.
 */
export function openXnatArchive(root: string, options: XnatArchiveOptions = {}): XnatArchive {
  if (!isDirectory(root)) {
    throw new ArchiveError("E_ARCHIVE_ROOT", "not a folder", { path: root });
  }
  return new XnatLayoutArchive(root, options.onMetadataRead ?? (() => {}));
}

interface ProjectState {
  readonly id: string;
  readonly dir: string;
  readonly meta: ProjectMetadata;
  readonly subjectById: ReadonlyMap<string, SubjectMetadata>;
  readonly subjectByLabel: ReadonlyMap<string, SubjectMetadata>;
  /** Changes when project.json does. */
  readonly stamp: string;
}

interface SubjectEntry {
  readonly id: string;
  readonly label: string;
  readonly meta: SubjectMetadata | undefined;
}

/** Where to find a project's experiments without reading them all again. */
interface SessionIndex {
  readonly stamp: string;
  readonly byId: Map<string, string>;
  readonly byLabel: Map<string, string>;
  readonly bySubject: Map<string, string[]>;
  readonly assessors: Map<string, string>;
  /** Session folders whose metadata could not be read: a miss may hide there. */
  readonly errors: ArchiveError[];
}

type ResourceOwnerKind = "project" | "subject" | "session" | "scan" | "assessor";

/** A resource folder found by the archive walk (for lookups by `integer-id`). */
interface ResourceLocation {
  readonly owner: ResourceOwnerKind;
  readonly project: string;
  /** Subject folder (subject resources), session folder, scan id or assessor folder. */
  readonly path: readonly string[];
  readonly label: string;
  readonly dir: string;
}

/** An object that resources hang below, with what it takes to build it. */
interface Owner {
  readonly uri: string;
  readonly resourcesDir: string;
  readonly resourceMetas: readonly ResourceMetadata[];
  build(options: LoadOptions | undefined): XnatObject;
}

const NO_CHILDREN: ReadonlySet<XnatType> = new Set();

class XnatLayoutArchive implements XnatArchive {
  readonly layout = "xnat" as const;
  private readonly projectStates = new Map<string, ProjectState>();
  private readonly sessionIndexes = new Map<string, SessionIndex>();
  private resourceIndex: Map<number, ResourceLocation[]> | undefined;

  constructor(
    readonly root: string,
    private readonly onRead: (path: string) => void,
  ) {}

  // ---- projects -------------------------------------------------------------------------

  *projects(): Iterable<XnatProject> {
    for (const id of this.projectIds()) {
      const state = this.projectState(id);
      yield this.projectObject(state, projectUri(id), { include: NO_CHILDREN });
    }
  }

  private projectIds(): string[] {
    return listFolders(this.root).filter((name) => {
      const dir = join(this.root, name);
      return isFile(join(dir, LAYOUT.projectFile)) || isDirectory(join(dir, LAYOUT.arc));
    });
  }

  /** The project with this folder name, else the one with this alias (XNAT: id or alias). */
  private findProject(key: string): ProjectState | undefined {
    const dir = join(this.root, key);
    if (isFile(join(dir, LAYOUT.projectFile)) || isDirectory(join(dir, LAYOUT.arc))) {
      return this.projectState(key);
    }
    for (const id of this.projectIds()) {
      const state = this.projectState(id);
      if (state.meta.aliases?.includes(key)) return state;
    }
    return undefined;
  }

  private projectState(id: string): ProjectState {
    const dir = join(this.root, id);
    const file = join(dir, LAYOUT.projectFile);
    const stats = statSync(file, { throwIfNoEntry: false });
    const stamp = stats === undefined ? "none" : `${stats.mtimeMs}:${stats.size}:${stats.ino}`;
    const cached = this.projectStates.get(id);
    if (cached?.stamp === stamp) return cached;
    if (stats !== undefined) this.onRead(file);
    const meta = readProjectMetadata(file);
    if (meta.id !== undefined && meta.id !== id) {
      throw new ArchiveError(
        "E_ARCHIVE_FORMAT",
        `id ${JSON.stringify(meta.id)} differs from the project folder's name ${JSON.stringify(id)}`,
        { path: file, pointer: "/id" },
      );
    }
    const state: ProjectState = {
      id,
      dir,
      meta,
      subjectById: new Map(meta.subjects.map((subject) => [subject.id, subject])),
      subjectByLabel: new Map(meta.subjects.map((subject) => [subject.label, subject])),
      stamp,
    };
    this.projectStates.set(id, state);
    return state;
  }

  private projectObject(
    state: ProjectState,
    uri: string,
    options: LoadOptions | undefined,
  ): XnatProject {
    const { meta } = state;
    return withoutUndefined({
      type: "Project",
      id: state.id,
      label: meta.label ?? state.id,
      xsiType: meta.xsiType ?? XSI_TYPES.project,
      uri,
      directory: join(state.dir, LAYOUT.arc),
      title: meta.title,
      "running-title": meta["running-title"],
      description: meta.description,
      keywords: meta.keywords,
      accessibility: meta.accessibility,
      aliases: meta.aliases === undefined ? undefined : [...meta.aliases],
      resources: buildResources(
        this.root,
        join(state.dir, LAYOUT.resources),
        meta.resources,
        uri,
        options,
      ),
      subjects: includesType(options, "Subject")
        ? this.subjectEntries(state).map((entry) =>
            this.subjectObject(state, entry, `${uri}/subjects/${entry.id}`, options),
          )
        : [],
      "project-assets": [],
    });
  }

  // ---- subjects -------------------------------------------------------------------------

  /** Subjects of project.json, then subject folders it does not list (id = label = folder). */
  private subjectEntries(state: ProjectState): SubjectEntry[] {
    const listed: SubjectEntry[] = state.meta.subjects.map((meta) => ({
      id: meta.id,
      label: meta.label,
      meta,
    }));
    const folders = listFolders(join(state.dir, LAYOUT.subjects))
      .filter((label) => !state.subjectByLabel.has(label))
      .map((label) => ({ id: label, label, meta: undefined }));
    return [...listed, ...folders];
  }

  private findSubject(
    state: ProjectState,
    key: string,
    byLabel: boolean,
  ): SubjectEntry | undefined {
    const meta =
      state.subjectById.get(key) ?? (byLabel ? state.subjectByLabel.get(key) : undefined);
    if (meta !== undefined) return { id: meta.id, label: meta.label, meta };
    if (state.subjectByLabel.has(key)) return undefined; // that folder belongs to a listed subject
    return isDirectory(join(state.dir, LAYOUT.subjects, key))
      ? { id: key, label: key, meta: undefined }
      : undefined;
  }

  private subjectObject(
    state: ProjectState,
    entry: SubjectEntry,
    uri: string,
    options: LoadOptions | undefined,
  ): XnatSubject {
    const wantSessions = includesType(options, "Session");
    const wantAssessors = includesType(options, "SubjectAssessor");
    const experiments =
      wantSessions || wantAssessors ? this.experimentsOfSubject(state, entry.id) : [];
    return withoutUndefined({
      type: "Subject",
      id: entry.id,
      label: entry.label,
      xsiType: XSI_TYPES.subject,
      uri,
      "project-id": state.id,
      group: entry.meta?.group,
      source: entry.meta?.source,
      initials: entry.meta?.initials,
      sessions: wantSessions
        ? experiments
            .filter((info) => info.meta.type === "Session")
            .map((info) => buildSession(this.root, info, experimentUri(info.id, uri), options))
        : [],
      resources: buildResources(
        this.root,
        this.subjectResourcesDir(state, entry),
        entry.meta?.resources ?? [],
        uri,
        options,
      ),
      "subject-assessors": wantAssessors
        ? experiments
            .filter((info) => info.meta.type === "SubjectAssessor")
            .map((info) =>
              buildSubjectAssessor(this.root, info, experimentUri(info.id, uri), options),
            )
        : [],
    });
  }

  private subjectResourcesDir(state: ProjectState, entry: SubjectEntry): string {
    return join(state.dir, LAYOUT.subjects, entry.label, LAYOUT.resources);
  }

  private experimentsOfSubject(state: ProjectState, subjectId: string): SessionInfo[] {
    const index = this.sessionIndex(state);
    if (index.errors.length > 0) throw index.errors[0];
    const infos: SessionInfo[] = [];
    for (const folder of index.bySubject.get(subjectId) ?? []) {
      const info = this.sessionInfo(state, folder);
      if (info?.subjectId === subjectId) infos.push(info);
    }
    return infos;
  }

  // ---- sessions and subject assessors ---------------------------------------------------

  *sessions(projectId: string, options?: LoadOptions): Iterable<XnatSession> {
    const state = this.findProject(projectId);
    if (state === undefined) return;
    const effective: LoadOptions = { ...options, include: options?.include ?? NO_CHILDREN };
    for (const folder of listFolders(join(state.dir, LAYOUT.arc))) {
      const info = this.sessionInfo(state, folder);
      if (info === undefined || info.meta.type !== "Session") continue;
      yield buildSession(this.root, info, experimentUri(info.id), effective);
    }
  }

  /** The session (or subject assessor) in `folder` of the project's arc001, if it exists. */
  private sessionInfo(state: ProjectState, folder: string): SessionInfo | undefined {
    const dir = join(state.dir, LAYOUT.arc, folder);
    if (!isDirectory(dir)) return undefined;
    const file = join(dir, LAYOUT.sessionFile);
    this.onRead(file);
    const meta = readSessionMetadata(file);
    const subject = meta.subject;
    return {
      project: state.id,
      folder,
      dir,
      meta,
      id: meta.id ?? folder,
      label: meta.label ?? folder,
      subjectId:
        subject === undefined
          ? undefined
          : (state.subjectById.get(subject)?.id ??
            state.subjectByLabel.get(subject)?.id ??
            subject),
    };
  }

  private sessionIndex(state: ProjectState, rebuild = false): SessionIndex {
    const arc = join(state.dir, LAYOUT.arc);
    const stamp = `${statSync(arc, { throwIfNoEntry: false })?.mtimeMs ?? "none"}|${state.stamp}`;
    const cached = this.sessionIndexes.get(state.id);
    if (!rebuild && cached?.stamp === stamp) return cached;
    const index: SessionIndex = {
      stamp,
      byId: new Map(),
      byLabel: new Map(),
      bySubject: new Map(),
      assessors: new Map(),
      errors: [],
    };
    for (const folder of listFolders(arc)) {
      let info: SessionInfo | undefined;
      try {
        info = this.sessionInfo(state, folder);
      } catch (error) {
        if (!(error instanceof ArchiveError)) throw error;
        index.errors.push(error);
        continue;
      }
      if (info === undefined) continue;
      if (!index.byId.has(info.id)) index.byId.set(info.id, folder);
      if (!index.byLabel.has(info.label)) index.byLabel.set(info.label, folder);
      if (info.subjectId !== undefined) {
        const folders = index.bySubject.get(info.subjectId);
        if (folders === undefined) index.bySubject.set(info.subjectId, [folder]);
        else folders.push(folder);
      }
      for (const assessor of info.meta.assessors) {
        if (!index.assessors.has(assessor.id)) index.assessors.set(assessor.id, folder);
      }
    }
    this.sessionIndexes.set(state.id, index);
    return index;
  }

  /**
   * The experiment of the project with id `key` (or, with `byLabel`, label `key`). The folder
   * named `key` is tried first; the index only when that misses. A miss in a project whose
   * index met bad metadata throws that error: the experiment may be the one that is broken.
   */
  private findExperiment(
    state: ProjectState,
    key: string,
    byLabel: boolean,
  ): SessionInfo | undefined {
    const direct = this.sessionInfo(state, key);
    if (direct !== undefined && (direct.id === key || (byLabel && direct.label === key))) {
      return direct;
    }
    const { info, errors } = this.findIndexed(state, key, byLabel, false);
    if (info === undefined && errors.length > 0) throw errors[0];
    return info;
  }

  private findIndexed(
    state: ProjectState,
    key: string,
    byLabel: boolean,
    rebuild: boolean,
  ): { info?: SessionInfo; errors: readonly ArchiveError[] } {
    const index = this.sessionIndex(state, rebuild);
    const folder = index.byId.get(key) ?? (byLabel ? index.byLabel.get(key) : undefined);
    if (folder !== undefined) {
      const info = this.sessionInfo(state, folder);
      if (info !== undefined && (info.id === key || (byLabel && info.label === key))) {
        return { info, errors: index.errors };
      }
      // The folder changed since the index was built: build it again, once.
      if (!rebuild) return this.findIndexed(state, key, byLabel, true);
    }
    return { errors: index.errors };
  }

  /** The experiment with id `key` in any project: first every project's folder `key`. */
  private findExperimentAnywhere(key: string): SessionInfo | undefined {
    const states = this.projectIds().map((id) => this.projectState(id));
    for (const state of states) {
      const direct = this.sessionInfo(state, key);
      if (direct?.id === key) return direct;
    }
    let firstError: ArchiveError | undefined;
    for (const state of states) {
      const { info, errors } = this.findIndexed(state, key, false, false);
      if (info !== undefined) return info;
      firstError ??= errors[0];
    }
    if (firstError !== undefined) throw firstError;
    return undefined;
  }

  private findAssessorAnywhere(
    id: string,
  ): { info: SessionInfo; entry: AssessorEntry } | undefined {
    for (const projectId of this.projectIds()) {
      const state = this.projectState(projectId);
      const folder = this.sessionIndex(state).assessors.get(id);
      const info = folder === undefined ? undefined : this.sessionInfo(state, folder);
      const entry = info && assessorEntries(info).find((candidate) => candidate.id === id);
      if (info !== undefined && entry !== undefined) return { info, entry };
    }
    return undefined;
  }

  // ---- owners of resources --------------------------------------------------------------

  private projectOwner(state: ProjectState, uri: string): Owner {
    return {
      uri,
      resourcesDir: join(state.dir, LAYOUT.resources),
      resourceMetas: state.meta.resources,
      build: (options) => this.projectObject(state, uri, options),
    };
  }

  private subjectOwner(state: ProjectState, entry: SubjectEntry, uri: string): Owner {
    return {
      uri,
      resourcesDir: this.subjectResourcesDir(state, entry),
      resourceMetas: entry.meta?.resources ?? [],
      build: (options) => this.subjectObject(state, entry, uri, options),
    };
  }

  private experimentOwner(info: SessionInfo, uri: string): Owner {
    return {
      uri,
      resourcesDir: join(info.dir, LAYOUT.sessionResources),
      resourceMetas: info.meta.resources,
      build: (options) =>
        info.meta.type === "Session"
          ? buildSession(this.root, info, uri, options)
          : buildSubjectAssessor(this.root, info, uri, options),
    };
  }

  private scanOwner(info: SessionInfo, scanId: string, sessionUri: string): Owner | undefined {
    const entry = scanEntries(info).find((candidate) => candidate.id === scanId);
    if (entry === undefined) return undefined;
    const uri = scanUri(sessionUri, entry.id);
    return {
      uri,
      resourcesDir: entry.dir,
      resourceMetas: entry.meta?.resources ?? [],
      build: (options) => buildScan(this.root, info, entry, sessionUri, options),
    };
  }

  private assessorOwner(info: SessionInfo, entry: AssessorEntry, uri: string): Owner {
    return {
      uri,
      resourcesDir: entry.dir,
      resourceMetas: entry.meta?.resources ?? [],
      build: (options) => buildAssessor(this.root, info, entry, uri, options),
    };
  }

  /** The object a URI names before its `/resources/...` part. */
  private ownerOf(parts: XnatUriParts): Owner | undefined {
    const up: XnatUriParts = { ...parts, resource: undefined, file: undefined };
    const uri = formatXnatUri(up);
    let state: ProjectState | undefined;
    if (parts.project !== undefined) {
      state = this.findProject(parts.project);
      if (state === undefined) return undefined;
    }
    let subject: SubjectEntry | undefined;
    if (parts.subject !== undefined) {
      if (state !== undefined) {
        subject = this.findSubject(state, parts.subject, true);
      } else {
        for (const id of this.projectIds()) {
          const candidate = this.projectState(id);
          subject = this.findSubject(candidate, parts.subject, false);
          if (subject !== undefined) {
            state = candidate;
            break;
          }
        }
      }
      if (subject === undefined || state === undefined) return undefined;
    }
    if (parts.experiment === undefined) {
      if (subject !== undefined && state !== undefined)
        return this.subjectOwner(state, subject, uri);
      return state === undefined ? undefined : this.projectOwner(state, uri);
    }
    const info =
      state === undefined
        ? this.findExperimentAnywhere(parts.experiment)
        : this.findExperiment(state, parts.experiment, true);
    if (info === undefined) {
      // XNAT files image assessors under /experiments too.
      if (state !== undefined || parts.scan !== undefined || parts.assessor !== undefined) {
        return undefined;
      }
      const found = this.findAssessorAnywhere(parts.experiment);
      return found && this.assessorOwner(found.info, found.entry, uri);
    }
    if (subject !== undefined && info.subjectId !== subject.id) return undefined;
    const experimentUriText = formatXnatUri({ ...up, scan: undefined, assessor: undefined });
    if (parts.scan !== undefined) return this.scanOwner(info, parts.scan, experimentUriText);
    if (parts.assessor !== undefined) {
      const key = parts.assessor;
      const entries = assessorEntries(info);
      const entry =
        entries.find((candidate) => candidate.id === key) ??
        entries.find((candidate) => candidate.label === key);
      return entry && this.assessorOwner(info, entry, uri);
    }
    return this.experimentOwner(info, uri);
  }

  // ---- lookups ----------------------------------------------------------------------------

  byUri(uri: string, options?: LoadOptions): XnatObject | undefined {
    const parts = parseXnatUri(uri);
    if (parts === undefined) return undefined;
    const owner = this.ownerOf(parts);
    if (owner === undefined) return undefined;
    if (parts.resource === undefined) return owner.build(options);
    const entries = resourceEntries(owner.resourcesDir, owner.resourceMetas);
    const entry = findResourceEntry(this.root, entries, parts.resource);
    if (entry === undefined) return undefined;
    if (parts.file === undefined) return buildResource(this.root, entry, owner.uri, options);
    if (!entry.exists || parts.file.split("/").some((segment) => segment.startsWith("."))) {
      return undefined;
    }
    const path = join(entry.dir, ...parts.file.split("/"));
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined || !stats.isFile()) return undefined;
    if (!parts.file.includes("/") && /_catalog\.xml$/.test(parts.file)) return undefined;
    return buildFile(resourceUri(owner.uri, entry.label), entry.meta, {
      path,
      relative: parts.file,
      size: stats.size,
    });
  }

  byId(type: XnatType, id: string, options?: LoadOptions): XnatObject | undefined {
    if (id === "" || id === "." || id === ".." || id.includes("/")) return undefined;
    switch (type) {
      case "Project": {
        const state = this.findProject(id);
        return state && this.projectObject(state, projectUri(state.id), options);
      }
      case "Subject": {
        for (const projectId of this.projectIds()) {
          const state = this.projectState(projectId);
          const entry = this.findSubject(state, id, false);
          if (entry !== undefined) {
            return this.subjectObject(state, entry, subjectUri(state.id, entry.id), options);
          }
        }
        return undefined;
      }
      case "Session":
      case "SubjectAssessor": {
        const info = this.findExperimentAnywhere(id);
        if (info === undefined || info.meta.type !== type) return undefined;
        return this.experimentOwner(info, experimentUri(info.id)).build(options);
      }
      case "Assessor": {
        const found = this.findAssessorAnywhere(id);
        if (found === undefined) return undefined;
        const uri = assessorUri(experimentUri(found.info.id), found.entry.id);
        return buildAssessor(this.root, found.info, found.entry, uri, options);
      }
      case "Resource":
        return /^\d+$/.test(id) ? this.resourceById(Number(id), options) : undefined;
      default:
        // Scans have no site-wide id in XNAT; project assets are not part of this layout.
        return undefined;
    }
  }

  // ---- resources by integer-id ----------------------------------------------------------

  private resourceById(id: number, options: LoadOptions | undefined): XnatObject | undefined {
    const locations = this.resourceLocations().get(id);
    if (locations === undefined) return undefined;
    if (locations.length > 1) {
      throw new ArchiveError(
        "E_ARCHIVE_AMBIGUOUS",
        `resource id ${id} names ${locations.length} resources: ${locations
          .map((location) => location.dir)
          .join(", ")}`,
        { path: locations[0]?.dir },
      );
    }
    const location = locations[0];
    if (location === undefined || !isDirectory(location.dir)) return undefined;
    const owner = this.ownerOfLocation(location);
    const entry =
      owner &&
      resourceEntries(owner.resourcesDir, owner.resourceMetas).find(
        (candidate) => candidate.label === location.label,
      );
    return entry && owner && buildResource(this.root, entry, owner.uri, options);
  }

  private ownerOfLocation(location: ResourceLocation): Owner | undefined {
    const state = this.projectState(location.project);
    const [first = "", second = ""] = location.path;
    switch (location.owner) {
      case "project":
        return this.projectOwner(state, projectUri(state.id));
      case "subject": {
        const entry = this.findSubject(state, first, true);
        return entry && this.subjectOwner(state, entry, subjectUri(state.id, entry.id));
      }
      default: {
        const info = this.sessionInfo(state, first);
        if (info === undefined) return undefined;
        const sessionUri = experimentUri(info.id);
        if (location.owner === "session") return this.experimentOwner(info, sessionUri);
        if (location.owner === "scan") return this.scanOwner(info, second, sessionUri);
        const entry = assessorEntries(info).find(
          (candidate) => candidate.dir === join(info.dir, LAYOUT.assessors, second),
        );
        return entry && this.assessorOwner(info, entry, assessorUri(sessionUri, entry.id));
      }
    }
  }

  /** Every resource folder of the archive by `integer-id`, from one walk of the folders. */
  private resourceLocations(): Map<number, ResourceLocation[]> {
    if (this.resourceIndex !== undefined) return this.resourceIndex;
    const index = new Map<number, ResourceLocation[]>();
    const addAll = (
      owner: ResourceOwnerKind,
      project: string,
      path: string[],
      resourcesDir: string,
    ) => {
      for (const label of listFolders(resourcesDir)) {
        const dir = join(resourcesDir, label);
        const location: ResourceLocation = { owner, project, path, label, dir };
        const id = resourceIntegerId(this.root, dir);
        const found = index.get(id);
        if (found === undefined) index.set(id, [location]);
        else found.push(location);
      }
    };
    for (const project of this.projectIds()) {
      const projectDir = join(this.root, project);
      addAll("project", project, [], join(projectDir, LAYOUT.resources));
      const subjectsDir = join(projectDir, LAYOUT.subjects);
      for (const subject of listFolders(subjectsDir)) {
        addAll("subject", project, [subject], join(subjectsDir, subject, LAYOUT.resources));
      }
      const arc = join(projectDir, LAYOUT.arc);
      for (const folder of listFolders(arc)) {
        const sessionDir = join(arc, folder);
        addAll("session", project, [folder], join(sessionDir, LAYOUT.sessionResources));
        for (const scan of listFolders(join(sessionDir, LAYOUT.scans))) {
          addAll("scan", project, [folder, scan], join(sessionDir, LAYOUT.scans, scan));
        }
        for (const assessor of listFolders(join(sessionDir, LAYOUT.assessors))) {
          addAll(
            "assessor",
            project,
            [folder, assessor],
            join(sessionDir, LAYOUT.assessors, assessor),
          );
        }
      }
    }
    this.resourceIndex = index;
    return index;
  }
}

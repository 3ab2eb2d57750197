// What an archive holds, for people (a text tree) and programs (the serialised objects): the
// `xcs archive ls` listing. Works through the XnatArchive interface only, so both layouts list
// the same way.
import { ArchiveError } from "./errors.js";
import { serializeXnatObject } from "./load.js";
import type {
  XnatAssessor,
  XnatProject,
  XnatResource,
  XnatScan,
  XnatSession,
  XnatSubject,
  XnatSubjectAssessor,
  XnatType,
} from "./model.js";
import type { XnatArchive } from "./source.js";

export interface ArchiveTreeOptions {
  /** Only this project (id or alias). Default: every project. */
  readonly project?: string;
  /**
   * Levels to load and show: 1 projects, 2 subjects, 3 sessions (and subject assessors),
   * 4 scans and assessors, 5 resources with their file counts (default).
   */
  readonly depth?: number;
}

/** The `--json` form of a listing. */
export interface ArchiveTree {
  readonly root: string;
  readonly layout: XnatArchive["layout"];
  /** Each project serialised as XCS does, with the children `depth` asks for. */
  readonly projects: XnatProject[];
  /**
   * Sessions (depth 3 and more) that no subject of their project lists: no subject in their
   * metadata, or one the project does not know. Serialised with the same children.
   */
  readonly unlistedSessions: XnatSession[];
}

const LEVELS: readonly (readonly XnatType[])[] = [
  [],
  ["Subject"],
  ["Session", "SubjectAssessor"],
  ["Scan", "Assessor"],
  ["Resource", "File"],
];

/** The child types loaded for `depth` (1..5). */
function includeFor(depth: number): Set<XnatType> {
  return new Set(LEVELS.slice(0, depth).flat());
}

function checkDepth(depth: number | undefined): number {
  const value = depth ?? 5;
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`depth must be a whole number >= 1, not ${value}`);
  }
  return Math.min(value, 5);
}

/**
 * The projects of `archive` (or the one of `options.project`) with the children `depth` asks
 * for, serialised. Throws an {@link ArchiveError} `E_ARCHIVE_MISSING` for an unknown project.
 */
export function archiveTree(archive: XnatArchive, options: ArchiveTreeOptions = {}): ArchiveTree {
  const depth = checkDepth(options.depth);
  const include = includeFor(depth);
  let heads: XnatProject[];
  if (options.project === undefined) {
    heads = [...archive.projects()];
  } else {
    const head = archive.byId("Project", options.project, { include: new Set() });
    if (head === undefined) {
      throw new ArchiveError("E_ARCHIVE_MISSING", `no project ${options.project}`, {
        path: archive.root,
      });
    }
    heads = [head as XnatProject];
  }
  const projects: XnatProject[] = [];
  const unlistedSessions: XnatSession[] = [];
  for (const head of heads) {
    const project = (
      depth === 1 ? head : archive.byUri(head.uri ?? "", { include })
    ) as XnatProject;
    projects.push(serializeXnatObject(project));
    if (depth < 3 || project.id === undefined) continue;
    const listed = new Set(
      project.subjects.flatMap((subject) => subject.sessions.map((session) => session.id)),
    );
    for (const session of archive.sessions(project.id)) {
      if (listed.has(session.id)) continue;
      const full = archive.byUri(session.uri ?? "", { include }) as XnatSession | undefined;
      if (full !== undefined) unlistedSessions.push(serializeXnatObject(full));
    }
  }
  return { root: archive.root, layout: archive.layout, projects, unlistedSessions };
}

/** Counts of a listing, for its last line. */
interface Counts {
  projects: number;
  subjects: number;
  sessions: number;
  scans: number;
  resources: number;
  files: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** `label [id]`, the id only when it differs from the label. */
function name(object: { id?: string; label?: string }): string {
  const label = object.label ?? object.id ?? "?";
  return object.id !== undefined && object.id !== label ? `${label} [${object.id}]` : label;
}

interface Node {
  readonly text: string;
  readonly children: Node[];
}

function resourceNodes(resources: readonly XnatResource[], counts: Counts): Node[] {
  return resources.map((resource) => {
    counts.resources++;
    counts.files += resource.files.length;
    return {
      text: `resource ${name(resource)} (${plural(resource.files.length, "file")})`,
      children: [],
    };
  });
}

function scanNode(scan: XnatScan, counts: Counts): Node {
  counts.scans++;
  const parts = [`scan ${scan.id ?? "?"}`];
  if (scan["scan-type"] !== undefined) parts.push(scan["scan-type"]);
  if (scan["series-description"] !== undefined) {
    parts.push(JSON.stringify(scan["series-description"]));
  }
  return { text: parts.join("  "), children: resourceNodes(scan.resources, counts) };
}

function assessorNode(assessor: XnatAssessor, counts: Counts): Node {
  const type = assessor.xsiType === undefined ? "" : `  ${assessor.xsiType}`;
  return {
    text: `assessor ${name(assessor)}${type}`,
    children: resourceNodes(assessor.resources, counts),
  };
}

function sessionNode(session: XnatSession, counts: Counts): Node {
  counts.sessions++;
  const type = session.xsiType === undefined ? "" : `  ${session.xsiType}`;
  return {
    text: `session ${name(session)}${type}`,
    children: [
      ...session.scans.map((scan) => scanNode(scan, counts)),
      ...session.assessors.map((assessor) => assessorNode(assessor, counts)),
      ...resourceNodes(session.resources, counts),
    ],
  };
}

function subjectAssessorNode(experiment: XnatSubjectAssessor, counts: Counts): Node {
  const type = experiment.xsiType === undefined ? "" : `  ${experiment.xsiType}`;
  return {
    text: `subject assessor ${name(experiment)}${type}`,
    children: resourceNodes(experiment.resources, counts),
  };
}

function subjectNode(subject: XnatSubject, counts: Counts): Node {
  counts.subjects++;
  const group = subject.group === undefined ? "" : `  group ${subject.group}`;
  return {
    text: `subject ${name(subject)}${group}`,
    children: [
      ...subject.sessions.map((session) => sessionNode(session, counts)),
      ...subject["subject-assessors"].map((experiment) => subjectAssessorNode(experiment, counts)),
      ...resourceNodes(subject.resources, counts),
    ],
  };
}

function render(node: Node, prefix: string, last: boolean, top: boolean, lines: string[]): void {
  lines.push(top ? node.text : `${prefix}${last ? "└── " : "├── "}${node.text}`);
  const inner = top ? "" : `${prefix}${last ? "    " : "│   "}`;
  node.children.forEach((child, i) => {
    render(child, inner, i === node.children.length - 1, false, lines);
  });
}

/**
 * The listing of `xcs archive ls` as text: one line per object, indented as a tree
 * (project → subjects → sessions → scans with type and series description, assessors,
 * resources with file counts), then a line of counts. Sessions that no subject lists come
 * last, under "sessions without a listed subject".
 */
export function formatArchiveTree(archive: XnatArchive, options: ArchiveTreeOptions = {}): string {
  const tree = archiveTree(archive, options);
  const counts: Counts = {
    projects: 0,
    subjects: 0,
    sessions: 0,
    scans: 0,
    resources: 0,
    files: 0,
  };
  const lines: string[] = [];
  for (const project of tree.projects) {
    counts.projects++;
    const title = project.title === undefined ? "" : `  ${JSON.stringify(project.title)}`;
    const unlisted = tree.unlistedSessions.filter(
      (session) => session["project-id"] === project.id,
    );
    const children: Node[] = [
      ...project.subjects.map((subject) => subjectNode(subject, counts)),
      ...resourceNodes(project.resources, counts),
    ];
    if (unlisted.length > 0) {
      children.push({
        text: "sessions without a listed subject",
        children: unlisted.map((session) => sessionNode(session, counts)),
      });
    }
    render({ text: `project ${name(project)}${title}`, children }, "", true, true, lines);
  }
  const depth = checkDepth(options.depth);
  const shown: [number, keyof Counts, string][] = [
    [1, "projects", "project"],
    [2, "subjects", "subject"],
    [3, "sessions", "session"],
    [4, "scans", "scan"],
    [5, "resources", "resource"],
    [5, "files", "file"],
  ];
  lines.push(
    shown
      .filter(([level]) => level <= depth)
      .map(([, key, word]) => plural(counts[key], word))
      .join(", "),
  );
  return `${lines.join("\n")}\n`;
}

// Where a file came from: the record in its `.prov`, that record's inputs, the records in their
// `.prov` files, and so on down to raw inputs (files without a `.prov`). Every link is checked:
// the file's hash against its record, each input's hash against what its consumer recorded, and
// the consumer's `Parents:` Id against the record now in the input's `.prov`.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ProvenanceError } from "./errors.js";
import { hashFile } from "./hashing.js";
import { recordedFiles } from "./parents.js";
import { provPathFor } from "./placement.js";
import type { RecordFile } from "./record.js";
import { type LocatedRecord, locatePath, type RecordSet, readRecordFile } from "./study-records.js";

/** The record a lineage node was produced by. */
export interface LineageRecord {
  id: string;
  module: string;
  version: string;
  startTime: string;
  status: "success" | "failed";
}

/** One file in a lineage tree. */
export interface LineageNode {
  /** Absolute path. */
  file: string;
  /** Its current sha256 (absent when it is missing or unreadable). */
  sha256?: string;
  /** The record that produced it; absent for raw inputs. */
  record?: LineageRecord;
  /** Its producer's inputs (empty for raw inputs, and for `seen` nodes). */
  inputs: LineageNode[];
  /** The file and its record appear earlier in the tree, which shows their inputs there. */
  seen?: boolean;
  /** What is wrong with this file or its links, `; `-separated. */
  problem?: string;
}

export interface LineageOptions {
  /** Levels of inputs followed at most (default 100). */
  maxDepth?: number;
}

interface Edge {
  /** The record that used the file, and what it recorded of it. */
  consumer: LocatedRecord;
  recorded: RecordFile;
  /** The `Parents:` Id the consumer recorded for it (`undefined`: none recorded). */
  parent: string | null | undefined;
}

function short(id: string): string {
  return id.slice(0, 12);
}

function summary(record: LocatedRecord): LineageRecord {
  return {
    id: record.id,
    module: record.module,
    version: record.version,
    startTime: record.startTime,
    status: record.status ?? "success",
  };
}

/** Input key -> its files, with the recorded `Parents:` Id of each. */
function inputEdges(record: LocatedRecord): Edge[] {
  const edges: Edge[] = [];
  for (const [key, value] of Object.entries(record.inputs)) {
    const parents = record.parents?.[key];
    const files = Array.isArray(value) ? value : [value];
    files.forEach((file, i) => {
      if (file === null) return;
      const parent = Array.isArray(parents)
        ? parents[i]
        : Array.isArray(value)
          ? undefined
          : parents;
      edges.push({ consumer: record, recorded: file, parent });
    });
  }
  return edges;
}

/**
 * The lineage tree of `file`, walked back through `.prov` records to raw inputs. Problems found
 * on the way are noted on the nodes, never thrown; cycles and files seen before are not
 * expanded twice. Throws `E_PROV_READ` when neither the file nor its `.prov` exists.
 */
export async function lineage(file: string, options: LineageOptions = {}): Promise<LineageNode> {
  const maxDepth = options.maxDepth ?? 100;
  const start = resolve(file);
  const exists = async (path: string) =>
    stat(path).then(
      () => true,
      () => false,
    );
  if (!(await exists(start)) && !(await exists(provPathFor(start)))) {
    throw new ProvenanceError("E_PROV_READ", `no such file: ${start}`, { path: start });
  }

  const provCache = new Map<string, Promise<RecordSet>>();
  const hashCache = new Map<string, Promise<string | { problem: string }>>();
  const readProv = (path: string): Promise<RecordSet> => {
    const prov = provPathFor(path);
    let pending = provCache.get(prov);
    if (!pending) {
      pending = readRecordFile(prov);
      provCache.set(prov, pending);
    }
    return pending;
  };
  const hashOf = (path: string): Promise<string | { problem: string }> => {
    let pending = hashCache.get(path);
    if (!pending) {
      pending = hashFile(path, false).catch((error: unknown) => {
        const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
        return { problem: code === "ENOENT" ? "the file is missing" : (error as Error).message };
      });
      hashCache.set(path, pending);
    }
    return pending;
  };
  const expanded = new Set<string>();

  const visit = async (
    path: string,
    edge: Edge | undefined,
    depth: number,
    onPath: ReadonlySet<string>,
  ): Promise<LineageNode> => {
    const problems: string[] = [];
    const node: LineageNode = { file: path, inputs: [] };
    const [hash, read] = await Promise.all([hashOf(path), readProv(path)]);
    if (typeof hash === "string") node.sha256 = hash;
    else problems.push(hash.problem);
    for (const problem of read.problems) {
      problems.push(`${problem.path}: ${problem.message}`);
    }
    const record = read.records.find((candidate) =>
      recordedFiles(candidate.outputs).some((out) => locatePath(candidate, out) === path),
    );
    // A module that rewrote its input: the .prov now describes the new version only.
    const inPlace = record !== undefined && edge?.consumer.id === record.id;
    if (inPlace) {
      node.record = summary(record);
      node.seen = true;
      problems.push(
        `updated in place by ${record.module}:${record.version}; ` +
          "the record of the version it read is not kept",
      );
    } else if (edge && typeof hash === "string" && hash !== edge.recorded.sha256) {
      problems.push(
        `changed since ${edge.consumer.module}:${edge.consumer.version} used it ` +
          `(recorded sha256 ${short(edge.recorded.sha256)}, now ${short(hash)})`,
      );
    }
    if (!record) {
      if (read.documents.length > 0) {
        problems.push("its .prov holds a record that does not list this file");
      }
      if (edge?.parent) {
        problems.push(
          `recorded parent ${short(edge.parent)}, but no record for this file was found`,
        );
      }
    } else if (!inPlace) {
      node.record = summary(record);
      if (!record.idMatches) problems.push(`record ${short(record.id)} was edited or damaged`);
      if (edge?.parent && edge.parent !== record.id) {
        problems.push(
          `recorded parent ${short(edge.parent)}, but its .prov holds record ${short(record.id)} ` +
            "(produced again since?)",
        );
      } else if (edge && edge.parent === null) {
        problems.push(`recorded as a raw input, but record ${short(record.id)} produced it`);
      }
      const own = recordedFiles(record.outputs).find((out) => locatePath(record, out) === path);
      if (own && typeof hash === "string" && hash !== own.sha256) {
        problems.push(
          `changed since ${record.module}:${record.version} wrote it ` +
            `(recorded sha256 ${short(own.sha256)}, now ${short(hash)})`,
        );
      }
      const key = `${path}\u0000${record.id}`;
      if (onPath.has(key)) {
        problems.push("cycle: this file is its own ancestor");
      } else if (expanded.has(key)) {
        node.seen = true;
      } else if (depth >= maxDepth) {
        problems.push(`not followed further: depth limit ${maxDepth} reached`);
      } else {
        expanded.add(key);
        const edges = inputEdges(record);
        // Hash the inputs at once; walk them in order so the tree is the same every time.
        await Promise.all(edges.map((e) => hashOf(locatePath(record, e.recorded))));
        const below = new Set(onPath).add(key);
        for (const e of edges) {
          node.inputs.push(await visit(locatePath(record, e.recorded), e, depth + 1, below));
        }
      }
    }
    if (problems.length > 0) node.problem = [...new Set(problems)].join("; ");
    return node;
  };

  return visit(start, undefined, 0, new Set());
}

/** Every node of a lineage tree, depth first (the root first). */
export function lineageNodes(root: LineageNode): LineageNode[] {
  const nodes: LineageNode[] = [];
  const walk = (node: LineageNode): void => {
    nodes.push(node);
    for (const input of node.inputs) walk(input);
  };
  walk(root);
  return nodes;
}

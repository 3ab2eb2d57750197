// Reading records back: the session `_Provenance.yml` (many documents) and `.prov` files (one).
// The layout is rigid, so records are read line by line rather than as generic YAML: values such
// as `{'a': 1}` or paths with `: ` are kept verbatim, exactly as written. A document that does
// not parse, or whose Id does not match its body, is reported, never repaired.
import type {
  ContainerIdentity,
  ContainerSource,
  ParameterText,
  RecordFields,
  RecordFile,
  RecordFiles,
  RecordParents,
} from "./record.js";
import { recordId } from "./record.js";

/** A record read from a file. */
export interface ProvenanceRecord extends RecordFields {
  /** The `Id:` as written. */
  id: string;
  /** Whether `id` is the sha256 of the body (false: the record was edited or damaged). */
  idMatches: boolean;
  /** Whether the record has the extension keys (written by this package's extended format). */
  extended: boolean;
  /** The document's text, `---` to `...` inclusive. */
  text: string;
  /** The file it was read from and its 1-based first line there. */
  source: { path: string; line: number };
}

/** A document that could not be read. */
export interface RecordProblem {
  path: string;
  line: number;
  message: string;
}

export interface ParsedRecords {
  records: ProvenanceRecord[];
  problems: RecordProblem[];
}

type Block = {
  key: string;
  value: string;
  children: { key: string; value: string; items: string[] }[];
};

function parseFileEntry(text: string): RecordFile | null {
  if (text === "None") return null;
  const at = text.lastIndexOf(":sha256:");
  if (at < 0) throw new Error(`"${text}" is not <path>:sha256:<hash>`);
  return { path: text.slice(0, at), sha256: text.slice(at + 8) };
}

function decodeScalar(text: string): string {
  return text.startsWith('"') ? (JSON.parse(text) as string) : text;
}

function noneToNull(text: string | undefined): string | null {
  return text === undefined || text === "None" ? null : text;
}

/** Splits body lines into top-level keys with their nested `  key:` lines and `    - ` items. */
function blocks(lines: string[]): Block[] {
  const result: Block[] = [];
  for (const line of lines) {
    if (line.startsWith("    - ")) {
      const child = result.at(-1)?.children.at(-1);
      if (!child) throw new Error(`list item outside a key: "${line}"`);
      child.items.push(line.slice(6));
    } else if (line.startsWith("  ")) {
      const parent = result.at(-1);
      if (!parent) throw new Error(`nested line outside a key: "${line}"`);
      const match = /^ {2}([^ ].*?):(?: (.*))?$/.exec(line);
      if (!match) throw new Error(`unreadable line "${line}"`);
      parent.children.push({ key: match[1] as string, value: match[2] ?? "", items: [] });
    } else {
      const match = /^([A-Za-z]+):(?: (.*))?$/.exec(line);
      if (!match) throw new Error(`unreadable line "${line}"`);
      result.push({ key: match[1] as string, value: match[2] ?? "", children: [] });
    }
  }
  return result;
}

function filesOf(block: Block | undefined): RecordFiles {
  const files: RecordFiles = {};
  for (const child of block?.children ?? []) {
    files[child.key] =
      child.value === "" ? child.items.map(parseFileEntry) : parseFileEntry(child.value);
  }
  return files;
}

function fieldsOf(lines: string[]): RecordFields & { extended: boolean } {
  const byKey = new Map(blocks(lines).map((block) => [block.key, block]));
  const need = (key: string): Block => {
    const block = byKey.get(key);
    if (!block) throw new Error(`no ${key}: line`);
    return block;
  };
  const moduleText = need("Module").value;
  const colon = moduleText.lastIndexOf(":");
  const container = new Map(need("Container").children.map((c) => [c.key, c.value]));
  const parameters: [string, ParameterText][] = need("Parameters").children.map((child) => [
    child.key,
    child.value === "" ? child.items : child.value === "[]" ? [] : child.value,
  ]);
  const status = byKey.get("Status")?.value;
  const parentsBlock = byKey.get("Parents");
  let parents: RecordParents | undefined;
  if (parentsBlock) {
    parents = {};
    for (const child of parentsBlock.children) {
      parents[child.key] =
        child.value === "" ? child.items.map((id) => noneToNull(id)) : noneToNull(child.value);
    }
  }
  const host = byKey.get("Host");
  const identity: ContainerIdentity = {
    url: noneToNull(container.get("url")),
    hash: noneToNull(container.get("hash")),
    builder: noneToNull(container.get("builder")),
    timestamp: noneToNull(container.get("timestamp")),
    source: (byKey.get("ContainerSource")?.value as ContainerSource | undefined) ?? "labels-file",
  };
  const fields: RecordFields & { extended: boolean } = {
    module: colon < 0 ? moduleText : moduleText.slice(0, colon),
    version: colon < 0 ? "" : moduleText.slice(colon + 1),
    container: identity,
    user: need("User").value,
    startTime: need("StartTime").value,
    duration: need("Duration").value,
    projectRoot: need("ProjectRoot").value,
    inputs: filesOf(byKey.get("Inputs")),
    outputs: filesOf(byKey.get("Outputs")),
    parameters,
    command: need("Command").value,
    extended: status !== undefined,
  };
  if (status !== undefined) fields.status = status === "failed" ? "failed" : "success";
  const exitCode = byKey.get("ExitCode")?.value;
  if (exitCode !== undefined) fields.exitCode = Number(exitCode);
  const error = byKey.get("Error")?.value;
  if (error !== undefined) fields.error = decodeScalar(error);
  if (parents) fields.parents = parents;
  if (host) {
    fields.host = Object.fromEntries(host.children.map((c) => [c.key, decodeScalar(c.value)]));
  }
  return fields;
}

/**
 * Reads every record document in `text` (a `_Provenance.yml` or a `.prov`). Bad documents are
 * skipped and listed in `problems` with their line; the rest are returned in file order.
 */
export function parseRecords(text: string, path = "<text>"): ParsedRecords {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const records: ProvenanceRecord[] = [];
  const problems: RecordProblem[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i] !== "---") {
      if ((lines[i] ?? "").trim() !== "") {
        problems.push({ path, line: i + 1, message: `text outside a record: "${lines[i]}"` });
        while (i < lines.length && lines[i] !== "---") i++;
      } else {
        i++;
      }
      continue;
    }
    const start = i;
    let end = i + 1;
    while (end < lines.length && lines[end] !== "..." && lines[end] !== "---") end++;
    if (lines[end] !== "...") {
      problems.push({ path, line: start + 1, message: "incomplete record (no closing '...')" });
      i = end;
      continue;
    }
    i = end + 1;
    const idLine = /^Id: ([0-9a-f]{64})$/.exec(lines[start + 1] ?? "");
    if (!idLine) {
      problems.push({ path, line: start + 2, message: "record without a valid 'Id:' line" });
      continue;
    }
    const bodyLines = lines.slice(start + 2, end);
    try {
      const fields = fieldsOf(bodyLines);
      const body = bodyLines.map((line) => `${line}\n`).join("");
      const id = idLine[1] as string;
      records.push({
        ...fields,
        id,
        idMatches: recordId(body) === id,
        text: lines
          .slice(start, end + 1)
          .map((line) => `${line}\n`)
          .join(""),
        source: { path, line: start + 1 },
      });
    } catch (error) {
      problems.push({ path, line: start + 1, message: (error as Error).message });
    }
  }
  return { records, problems };
}

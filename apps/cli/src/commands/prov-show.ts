// radifox prov show <file|session> [--json]: the provenance records of a file or a session.
import { resolve } from "node:path";
import {
  findRecordsFor,
  type LocatedRecord,
  type RecordFiles,
  type RecordParents,
} from "@radifox/provenance";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { cwdOf, reading, shortId, shown } from "./prov-common.js";

export const PROV_SHOW_HELP = `Usage: radifox prov show [--json] <file|session>

Show provenance records: for a file, the record in its .prov file (none for a raw input); for a
.prov or _Provenance.yml file, the records it holds; for a session folder, every record of the
session (its _Provenance.yml, then the .prov files), one per Id.

Options:
      --json   print one JSON document
  -h, --help   show this help

Exit codes: 0 ok, 65 a record could not be read (the others are shown), 66 no such path.`;

function filesLines(files: RecordFiles): string[] {
  const lines: string[] = [];
  const width = Math.max(0, ...Object.keys(files).map((key) => key.length));
  for (const [key, value] of Object.entries(files)) {
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) lines.push(`    ${key.padEnd(width)}  (empty list)`);
    items.forEach((file, i) => {
      const label = i === 0 ? key.padEnd(width) : " ".repeat(width);
      lines.push(
        file === null
          ? `    ${label}  None`
          : `    ${label}  ${file.path}  sha256 ${shortId(file.sha256)}`,
      );
    });
  }
  return lines;
}

function parentsLines(parents: RecordParents): string[] {
  const width = Math.max(0, ...Object.keys(parents).map((key) => key.length));
  return Object.entries(parents).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map(
      (id, i) =>
        `    ${(i === 0 ? key : "").padEnd(width)}  ${id === null ? "raw input" : `record ${shortId(id)}`}`,
    ),
  );
}

/** A record as people read it. */
export function describeRecord(record: LocatedRecord, cwd: string): string {
  const c = record.container;
  const status =
    record.status === "failed"
      ? `failed (exit ${record.exitCode ?? "?"})`
      : (record.status ?? "success (radifox format)");
  const lines = [
    `${record.module}:${record.version}  record ${shortId(record.id)}  ${status}`,
    `  started    ${record.startTime} (took ${record.duration})`,
    `  user       ${record.user}`,
    `  container  ${c.url === null ? "none" : c.url}${c.hash === null ? "" : ` ${c.hash}`} (${c.source})`,
    `  record in  ${shown(record.source.path, cwd)}:${record.source.line}`,
  ];
  if (!record.idMatches)
    lines.push("  WARNING    its Id does not match its text (edited or damaged)");
  if (record.error !== undefined) lines.push(`  error      ${record.error}`);
  const inputs = filesLines(record.inputs);
  lines.push(inputs.length === 0 ? "  inputs     none" : "  inputs", ...inputs);
  const outputs = filesLines(record.outputs);
  lines.push(outputs.length === 0 ? "  outputs    none" : "  outputs", ...outputs);
  if (record.parameters.length === 0) lines.push("  parameters none");
  else {
    lines.push("  parameters");
    const width = Math.max(...record.parameters.map(([key]) => key.length));
    for (const [key, value] of record.parameters) {
      const text = Array.isArray(value) ? `[${value.join(", ")}]` : value;
      lines.push(`    ${key.padEnd(width)}  ${text}`);
    }
  }
  lines.push(`  command    ${record.command}`);
  if (record.parents !== undefined) {
    const parents = parentsLines(record.parents);
    lines.push(parents.length === 0 ? "  parents    none" : "  parents", ...parents);
  }
  return lines.join("\n");
}

/** A record as JSON: every field but the raw text. */
export function recordJson(record: LocatedRecord): Omit<LocatedRecord, "text"> {
  const { text: _text, ...fields } = record;
  return fields;
}

export async function provShow(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${PROV_SHOW_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(EXIT.usage, "radifox prov show takes one file or session folder");
  }
  const cwd = cwdOf(io);
  const found = await reading(() => findRecordsFor(resolve(cwd, positionals[0] as string)));
  if (values.json) {
    const document = {
      path: found.path,
      kind: found.kind,
      records: found.records.map(recordJson),
      problems: found.problems,
    };
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    io.stdout.write(found.records.map((r) => `${describeRecord(r, cwd)}\n`).join("\n"));
    if (found.records.length === 0) {
      const why = found.kind === "file" ? " (a raw input, or not made by a module)" : "";
      io.stderr.write(`no provenance record for ${shown(found.path, cwd)}${why}\n`);
    }
  }
  for (const p of found.problems) {
    io.stderr.write(
      `problem: ${shown(p.path, cwd)}${p.line > 0 ? `:${p.line}` : ""}: ${p.message}\n`,
    );
  }
  return found.problems.length > 0 ? EXIT.dataError : EXIT.ok;
}

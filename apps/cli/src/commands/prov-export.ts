// radifox prov export [--format prov-json|bids] [--output <file>] <file|session...>: records as
// W3C PROV-JSON or as the GeneratedBy list of a BIDS derivative.
import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  exportBidsGeneratedBy,
  exportProvJson,
  findRecordsFor,
  type LocatedRecord,
  type RecordProblem,
} from "@radifox/provenance";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { cwdOf, reading, shown } from "./prov-common.js";

export const PROV_EXPORT_HELP = `Usage: radifox prov export [--format prov-json|bids] [--output <file>] <file|session>...

Export the provenance records of files and session folders (as 'radifox prov show' finds them;
each record once):
  prov-json  a W3C PROV-JSON document (default): files as entities, runs as activities, the
             user, module and container as agents, with used, wasGeneratedBy,
             wasAssociatedWith and wasDerivedFrom relations
  bids       {"GeneratedBy": [...]} for a BIDS derivative's dataset_description.json: one item
             per module, version and container (Name, Version, Container {Type, Tag, URI})

Options:
      --format <format>  prov-json (default) or bids
  -o, --output <file>    write the document to a file (replaced atomically) instead of stdout
  -h, --help             show this help

Exit codes: 0 ok, 64 bad arguments, 65 a record could not be read (the document holds the
others), 66 no such path.`;

const FORMATS = ["prov-json", "bids"];

/** Writes `text` to `path` through a temporary file in the same folder and a rename. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, text, { flag: "wx" });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(EXIT.noInput, `cannot write ${path} (${code})`);
  }
}

export async function provExport(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    format: { type: "string" },
    output: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${PROV_EXPORT_HELP}\n`);
    return EXIT.ok;
  }
  const format = values.format ?? "prov-json";
  if (!FORMATS.includes(format)) {
    throw new CliError(EXIT.usage, `--format must be one of ${FORMATS.join(", ")}`);
  }
  if (positionals.length === 0) {
    throw new CliError(EXIT.usage, "radifox prov export needs at least one file or session");
  }
  const cwd = cwdOf(io);
  const records = new Map<string, LocatedRecord>();
  const problems: RecordProblem[] = [];
  for (const path of positionals) {
    const found = await reading(() => findRecordsFor(resolve(cwd, path)));
    for (const record of found.records) if (!records.has(record.id)) records.set(record.id, record);
    problems.push(...found.problems);
  }
  const list = [...records.values()];
  const document =
    format === "bids" ? { GeneratedBy: exportBidsGeneratedBy(list) } : exportProvJson(list);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  if (values.output !== undefined) await writeAtomically(resolve(cwd, values.output), text);
  else io.stdout.write(text);

  if (list.length === 0) io.stderr.write("no provenance records found\n");
  for (const p of problems) {
    io.stderr.write(
      `problem: ${shown(p.path, cwd)}${p.line > 0 ? `:${p.line}` : ""}: ${p.message}\n`,
    );
  }
  return problems.length > 0 ? EXIT.dataError : EXIT.ok;
}

// radifox prov lineage <file> [--json]: where a file came from, down to its raw inputs.
import { resolve } from "node:path";
import { type LineageNode, lineage, lineageNodes } from "@radifox/provenance";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { cwdOf, reading, shortId, shown } from "./prov-common.js";

export const PROV_LINEAGE_HELP = `Usage: radifox prov lineage [--json] [--max-depth <n>] <file>

Walk back from a file through the record in its .prov file to that record's inputs, and from
each input to the record that produced it, down to raw inputs (files without a .prov). Each
link is checked: hashes against the records, and recorded parents against the records found.
Problems are shown under the file they concern (lines starting with '!').

Options:
      --json            print the tree as one JSON document
      --max-depth <n>   follow at most n levels of inputs (default 100)
  -h, --help            show this help

Exit codes: 0 ok, 64 bad arguments, 65 problems found, 66 no such file.`;

function nodeLabel(node: LineageNode): string {
  const r = node.record;
  if (!r) return "[raw input]";
  const status = r.status === "failed" ? ", failed" : "";
  const seen = node.seen ? ", inputs shown above" : "";
  return `[${r.module}:${r.version}, record ${shortId(r.id)}, ${r.startTime}${status}${seen}]`;
}

function treeLines(node: LineageNode, cwd: string, depth: number, lines: string[]): void {
  const indent = "  ".repeat(depth);
  lines.push(`${indent}${shown(node.file, cwd)}  ${nodeLabel(node)}`);
  for (const problem of node.problem?.split("; ") ?? []) lines.push(`${indent}  ! ${problem}`);
  for (const input of node.inputs) treeLines(input, cwd, depth + 1, lines);
}

export async function provLineage(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    json: { type: "boolean" },
    "max-depth": { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${PROV_LINEAGE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError(EXIT.usage, "radifox prov lineage takes exactly one file");
  }
  let maxDepth: number | undefined;
  if (values["max-depth"] !== undefined) {
    maxDepth = Number(values["max-depth"]);
    if (!Number.isInteger(maxDepth) || maxDepth < 0) {
      throw new CliError(EXIT.usage, "--max-depth must be a whole number, 0 or more");
    }
  }
  const cwd = cwdOf(io);
  const tree = await reading(() => lineage(resolve(cwd, positionals[0] as string), { maxDepth }));
  if (values.json) {
    io.stdout.write(`${JSON.stringify(tree, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    treeLines(tree, cwd, 0, lines);
    io.stdout.write(`${lines.join("\n")}\n`);
  }
  const problems = lineageNodes(tree).filter((node) => node.problem !== undefined).length;
  if (problems > 0 && !values.json) {
    io.stderr.write(
      `${problems} ${problems === 1 ? "file has a problem" : "files have problems"}\n`,
    );
  }
  return problems > 0 ? EXIT.dataError : EXIT.ok;
}

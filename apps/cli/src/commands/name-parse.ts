// radifox name parse <name...> [--json]: explain RADIFOX names part by part.
import { basename } from "node:path";
import { NameError, type ParsedName, parseName } from "@radifox/naming";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";

export const NAME_PARSE_HELP = `Usage: radifox name parse [--json] <name>...

Explain RADIFOX file names part by part, or point at what is wrong:
  <subject>_<session>_<study>-<series>_<bodypart>-<modality>-<technique>-<acqdim>-<orientation>-<excontrast>[-<extra>...][_<tag>...].<ext>
Paths are accepted; only the file name is read.

Options:
      --json   print one JSON document
  -h, --help   show this help`;

type Outcome =
  | { name: string; ok: true; parts: ParsedName }
  | { name: string; ok: false; error: NameError };

function explain(parts: ParsedName): string {
  const rows: [string, string][] = [
    ["subject id", parts.subjectId],
    ["session id", parts.sessionId],
    ["image id", `${parts.imageId}  (study ${parts.studyNumber}, series ${parts.seriesNumber})`],
    ["bodypart", parts.bodypart],
    ["modality", parts.modality],
    ["technique", parts.technique],
    ["acqdim", parts.acqdim],
    ["orientation", parts.orientation],
    ["excontrast", parts.excontrast],
    ["extras", parts.extras.join(", ") || "(none)"],
    ["tags", parts.tags.join(", ") || "(none)"],
    ["extension", parts.ext || "(none)"],
  ];
  return rows.map(([label, value]) => `  ${label.padEnd(12)} ${value}`).join("\n");
}

/** The name with a caret line under the offending characters. */
function pointAt(error: NameError): string {
  const column = Array.from(error.fileName.slice(0, error.index)).length;
  const width = Math.max(
    1,
    Array.from(error.fileName.slice(error.index, error.index + error.length)).length,
  );
  return `  ${error.fileName}\n  ${" ".repeat(column)}${"^".repeat(width)}`;
}

export async function nameParse(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    json: { type: "boolean" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${NAME_PARSE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0)
    throw new CliError(EXIT.usage, "radifox name parse needs at least one name");
  const outcomes: Outcome[] = positionals.map((arg) => {
    const name = basename(arg);
    try {
      return { name, ok: true, parts: parseName(name) };
    } catch (error) {
      if (!(error instanceof NameError)) throw error;
      return { name, ok: false, error };
    }
  });
  if (values.json) {
    const document = outcomes.map((o) =>
      o.ok
        ? { name: o.name, ok: true, parts: o.parts }
        : {
            name: o.name,
            ok: false,
            error: {
              code: o.error.code,
              part: o.error.part,
              index: o.error.index,
              length: o.error.length,
              message: o.error.message,
            },
          },
    );
    io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  } else {
    for (const o of outcomes) {
      if (o.ok) io.stdout.write(`${o.name}\n${explain(o.parts)}\n`);
      else io.stdout.write(`${o.name}\n${pointAt(o.error)}\n  error: ${o.error.message}\n`);
    }
  }
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.dataError;
}

// xcs schema [--out FILE]: the JSON Schema of command documents, for editors and other tools.
import { resolve } from "node:path";
import { parse } from "../args.js";
import { CliError, type CliIO, EXIT, type ExitCode } from "../io.js";
import { schemaText, writeSchema } from "../schema.js";

export const SCHEMA_HELP = `Usage: xcs schema [--out FILE]

Print the JSON Schema (draft-07) of XNAT Container Service command documents. It describes the
shapes XNAT's reader accepts; XNAT's own rules (names, references, tags) are checked by
xcs validate.

Options:
  -o, --out <file>  write the schema to <file> (replaced atomically) instead of stdout
  -h, --help        show this help

For completion in an editor: xcs schema > command.schema.json, then start the command file with
  "$schema": "./command.schema.json",`;

export async function schema(args: string[], io: CliIO): Promise<ExitCode> {
  const { values, positionals } = parse(args, {
    out: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    io.stdout.write(`${SCHEMA_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    throw new CliError(
      EXIT.usage,
      `unexpected argument '${positionals[0]}'; see xcs schema --help`,
    );
  }
  if (values.out === undefined) {
    io.stdout.write(schemaText());
    return EXIT.ok;
  }
  if (values.out === "") throw new CliError(EXIT.usage, "--out needs a file name");
  const path = resolve(io.cwd ?? process.cwd(), values.out);
  try {
    await writeSchema(path);
  } catch (error) {
    throw new CliError(EXIT.failure, `cannot write ${values.out}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return EXIT.ok;
}

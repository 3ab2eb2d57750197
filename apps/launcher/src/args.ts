// Argument parsing on top of node:util parseArgs, with its errors turned into usage errors.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { CliError, EXIT } from "./io.js";

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

export function parse<T extends Options>(args: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs messages are clear ("Unknown option '--x'"); keep them, drop the stack.
    throw new CliError(EXIT.usage, (error as Error).message);
  }
}

// Runs the radifox command line in-process with captured output.
import { main } from "../src/index.js";

/** `radifox <args>` with stdout and stderr captured; `cwd` is the command's working folder. */
export async function runCli(args: string[], cwd?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    cwd,
  };
  const code = await main(args, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

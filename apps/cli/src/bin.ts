#!/usr/bin/env node
import { closeHashPool } from "@radifox/provenance";
import { main } from "./main.js";

// `radifox ls | head` closes the pipe early: stop quietly instead of failing on EPIPE.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
// The hashing workers of `run` and `prov verify` are stopped now rather than at exit.
await closeHashPool();

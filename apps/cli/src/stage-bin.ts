#!/usr/bin/env node
// radifox-stage: the original's staging command line (see `radifox stage --help`).
import { closeHashPool } from "@radifox/provenance";
import { radifoxStage } from "./commands/stage.js";

process.exitCode = await radifoxStage(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
await closeHashPool();

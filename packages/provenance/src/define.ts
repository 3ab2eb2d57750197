// Entry points over `executeModule`: `defineModule` (an object with `execute` and `main`) and the
// class form mirroring the original's `ProcessingModule` subclasses.
import { errorMessage, ProvenanceError } from "./errors.js";
import {
  type CliResult,
  executeModule,
  type ModuleDefinition,
  type ModuleResult,
  type RunContext,
  type RunOptions,
  type RunResult,
} from "./module.js";
import type { ModuleArgs } from "./values.js";

/** A runnable module. */
export interface ProcessingModuleRunner<A extends ModuleArgs = ModuleArgs> {
  readonly definition: ModuleDefinition<A>;
  /** Runs with `argv` (without the program name). Failures throw `ProvenanceError`. */
  execute(argv: readonly string[], options?: RunOptions): Promise<ModuleResult>;
  /**
   * Script entry: runs with `process.argv.slice(2)` (or `argv`), prints log lines to stdout
   * and errors to stderr, and returns the exit code: 0 done, 1 failed, 2 usage error.
   */
  main(argv?: readonly string[], options?: RunOptions): Promise<number>;
}

/** Exit code for an error: 2 for usage errors (as argparse), 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  return error instanceof ProvenanceError && error.code === "E_PROV_USAGE" ? 2 : 1;
}

async function runMain<A extends ModuleArgs>(
  definition: ModuleDefinition<A>,
  argv: readonly string[],
  options: RunOptions,
): Promise<number> {
  try {
    await executeModule(definition, argv, {
      onLog: (line) => process.stdout.write(line),
      ...options,
    });
    return 0;
  } catch (error) {
    process.stderr.write(`${definition.name}: error: ${errorMessage(error)}\n`);
    return exitCodeFor(error);
  }
}

/**
 * Defines a processing module:
 * `defineModule({ name, version, cli, run, logUsesFilename?, skipProvWrite?, batched? })`.
 */
export function defineModule<A extends ModuleArgs>(
  definition: ModuleDefinition<A>,
): ProcessingModuleRunner<A> {
  return {
    definition,
    execute: (argv, options) => executeModule(definition, argv, options),
    main: (argv = process.argv.slice(2), options = {}) => runMain(definition, argv, options),
  };
}

/**
 * The class form: subclass, set `name`/`version` (and optionally `logUsesFilename`,
 * `skipProvWrite`), implement `cli` and `run`, then `await new MyModule().main()`.
 */
export abstract class ProcessingModule<A extends ModuleArgs = ModuleArgs>
  implements ModuleDefinition<A>
{
  abstract readonly name: string;
  abstract readonly version: string;
  logUsesFilename = true;
  skipProvWrite: readonly string[] = [];
  batched: boolean | "auto" = "auto";

  abstract cli(args: readonly string[]): CliResult<A> | Promise<CliResult<A>>;
  abstract run(args: A, context: RunContext): RunResult | Promise<RunResult>;

  execute(argv: readonly string[], options?: RunOptions): Promise<ModuleResult> {
    return executeModule(this, argv, options);
  }

  main(argv: readonly string[] = process.argv.slice(2), options: RunOptions = {}): Promise<number> {
    return runMain(this, argv, options);
  }
}

// `stageSubject`: the original's Staging module (spec 5) as one provenance-recorded run per
// subject, one record per session. Sessions are staged into private folders (in parallel with
// `jobs`), targets are chosen and linked, and only then is every session's folder renamed to
// `stage/`: a failure or a crash leaves no session half staged.
import { mkdir, rename, rm, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { compareCodePoints } from "@radifox/naming";
import { writeFileAtomic } from "@radifox/nifti";
import {
  executeModule,
  FilePath,
  type ModuleArgs,
  type ModuleDefinition,
  type ModuleLogger,
  type ModuleResult,
  ProvenanceError,
  type RunOptions,
  withFileLock,
} from "@radifox/provenance";
import type { StageOptions } from "./args.js";
import { type DiscoveredSession, type Discovery, discoverSessions } from "./discover.js";
import { errorMessage, StageError } from "./errors.js";
import { MEMPRAGEPlugin } from "./memprage.js";
import { MP2RAGEPlugin } from "./mp2rage.js";
import type { StagingPlugin } from "./plugin.js";
import { loadPluginFiles } from "./plugin-files.js";
import type { FilterOutcome } from "./selection.js";
import { removeStaleWork, type StagedSession, stageSession } from "./session-stage.js";
import { registrationTargets, type Targets, targetLinks } from "./targets.js";

/** The module name in records and log files. */
export const MODULE_NAME = "staging";
const PACKAGE_VERSION = (createRequire(import.meta.url)("../package.json") as { version: string })
  .version;

/** Progress of one subject. */
export interface StageProgress {
  subjectDir: string;
  session: string;
  /** Sessions finished so far, of `sessionsTotal`. */
  sessionsDone: number;
  sessionsTotal: number;
  /** Images written so far in the whole subject. */
  imagesDone: number;
}

/** How to run: provenance options plus parallelism, the recorded command and progress. */
export interface StageRunOptions extends RunOptions {
  /** Sessions staged at once (default 1). */
  jobs?: number;
  /** The command line recorded in `Command:` (default: the equivalent `radifox-stage` one). */
  command?: readonly string[];
  /** Version in `Module: staging:<version>` (default this package's). */
  version?: string;
  signal?: AbortSignal;
  onProgress?: (progress: StageProgress) => void;
  /** Warnings found before the run starts (also in the result). */
  onWarning?: (message: string) => void;
}

export interface SessionResult {
  session: string;
  status: "staged" | "no-match" | "already-staged";
  staged: string[];
  sessionTarget: string | null;
  subjectTarget: string | null;
  filters: FilterOutcome[];
}

export interface StageResult {
  subjectDir: string;
  sessions: SessionResult[];
  subjectTarget: string | null;
  warnings: string[];
  records: ModuleResult["records"];
  qaImages: string[];
  logFiles: string[];
}

/** Built-in plugins, in the order the original runs them. */
export const DEFAULT_PLUGINS: readonly StagingPlugin[] = [MEMPRAGEPlugin, MP2RAGEPlugin];

/** The `radifox-stage` command line equivalent to `options` (for `Command:`). */
export function equivalentCommand(options: StageOptions): string[] {
  const argv = ["-s", options.subjectDir];
  if (options.keepBestRes) argv.push("--keep-best-res");
  if (options.update) argv.push("--update");
  argv.push("--image-types", ...options.imageTypes.map((f) => f.toString()));
  if (options.regFilters)
    argv.push("--reg-filters", ...options.regFilters.map((f) => f.toString()));
  if (options.pluginPaths?.length) argv.push("--plugin-paths", ...options.pluginPaths);
  if (options.skipDefaultPlugins) argv.push("--skip-default-plugins");
  if (options.skipSetSform) argv.push("--skip-set-sform");
  return argv;
}

/** Runs `task` over `items` with at most `limit` at once; the first failure aborts the rest. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        await task(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (rejected) throw rejected.reason;
}

/** Runs the tasks given to it one at a time, in the order given. */
function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const turn = last.then(task, task);
    last = turn.catch(() => undefined);
    return turn;
  };
}

/** Lines of each session kept back and written in session order (parallel sessions). */
class OrderedLog {
  readonly #buffers: [level: "info" | "warning", message: string][][];
  readonly #finished: boolean[];
  #cursor = 0;

  constructor(
    count: number,
    private readonly log: ModuleLogger,
  ) {
    this.#buffers = Array.from({ length: count }, () => []);
    this.#finished = Array.from({ length: count }, () => false);
  }

  forSession(index: number) {
    const push = (level: "info" | "warning", message: string) => {
      if (index === this.#cursor) this.log[level](message);
      else this.#buffers[index]?.push([level, message]);
    };
    return {
      info: (message: string) => push("info", message),
      warning: (message: string) => push("warning", message),
    };
  }

  finish(index: number): void {
    this.#finished[index] = true;
    while (this.#cursor < this.#finished.length && this.#finished[this.#cursor]) {
      this.#cursor++;
      for (const [level, message] of this.#buffers[this.#cursor] ?? []) this.log[level](message);
      if (this.#cursor < this.#buffers.length) this.#buffers[this.#cursor] = [];
    }
  }
}

interface Settings {
  subjectDir: string;
  options: StageOptions;
  plugins: StagingPlugin[];
  run: StageRunOptions;
}

/** What the engine leaves for the caller: the sessions it swapped in (for a rollback). */
interface EngineState {
  staged: (StagedSession | null)[];
  targets: Targets | null;
  swapped: string[];
  qaWritten: string[];
}

function engine(settings: Settings, discovery: Discovery, state: EngineState) {
  const { options, run } = settings;
  const sessions = discovery.sessions;
  return async (_args: ModuleArgs, { log }: { log: ModuleLogger }) => {
    const ordered = new OrderedLog(sessions.length, log);
    let imagesDone = 0;
    let sessionsDone = 0;
    const report = (session: DiscoveredSession) =>
      run.onProgress?.({
        subjectDir: settings.subjectDir,
        session: session.dir,
        sessionsDone,
        sessionsTotal: sessions.length,
        imagesDone,
      });
    const controller = new AbortController();
    const signal = run.signal
      ? AbortSignal.any([run.signal, controller.signal])
      : controller.signal;
    state.staged = sessions.map(() => null);
    const pluginTurn = oneAtATime();
    try {
      await eachLimited(sessions, run.jobs ?? 1, async (session: DiscoveredSession, index) => {
        await removeStaleWork(session.dir);
        const sessionLog = ordered.forSession(index);
        state.staged[index] = await stageSession(
          session.dir,
          session.images,
          {
            imageTypes: options.imageTypes,
            keepBestRes: options.keepBestRes ?? false,
            skipSetSform: options.skipSetSform ?? false,
            plugins: settings.plugins,
            grouping: options.grouping ?? "series",
            qa: run.qa === false ? false : { blend: run.qa?.blend },
            durable: run.durable ?? true,
            signal,
            pluginTurn,
            onImage: () => {
              imagesDone++;
              report(session);
            },
          },
          sessionLog,
        );
        ordered.finish(index);
        sessionsDone++;
        report(session);
      });
    } catch (error) {
      controller.abort();
      await discardWork(state);
      throw error;
    }
    const done = state.staged.filter((item): item is StagedSession => item !== null);
    try {
      state.targets = await linkTargets(settings, discovery, done, log);
      await swapIn(done, state);
    } catch (error) {
      await rollBack(state);
      throw error;
    }
    return state.staged.map((item) => {
      if (!item) return null;
      const target = state.targets?.sessions.find((t) => t.session === item.session);
      return {
        staged_files: item.staged,
        session_target: target?.target ?? null,
        subject_target: target ? (state.targets?.subject ?? null) : null,
      };
    });
  };
}

/** Chooses and links the registration targets, and logs the summary the original logs. */
async function linkTargets(
  settings: Settings,
  discovery: Discovery,
  done: StagedSession[],
  log: ModuleLogger,
): Promise<Targets | null> {
  const regFilters = settings.options.regFilters;
  if (!regFilters) {
    log.info("No registration targets provided. Skipping.");
    return null;
  }
  for (const item of done) {
    log.info("---");
    log.info(item.session);
    log.info("---");
    for (const image of item.staged) log.info(image.path);
  }
  const targets = await registrationTargets(done, regFilters, discovery.subjectTarget, (problem) =>
    log.warning(`${problem}.`),
  );
  if (targets.subject) {
    log.info("---");
    log.info("Registration Targets");
    log.info("---");
    log.info(targets.subject.path);
    for (const target of targets.sessions) log.info(`${target.session}: ${target.target.path}`);
  }
  for (const target of targets.sessions) {
    const item = done.find((s) => s.session === target.session) as StagedSession;
    const links = targetLinks(item.session, settings.subjectDir, target.target, targets.subject);
    await symlink(links.session, join(item.workDir, "session-target"));
    if (links.subject) await symlink(links.subject, join(item.workDir, "subject-target"));
  }
  return targets;
}

/** Renames every work folder to `stage/`, then writes the QA pictures. */
async function swapIn(done: StagedSession[], state: EngineState): Promise<void> {
  for (const item of done) {
    const stage = join(item.session, "stage");
    try {
      await rename(item.workDir, stage);
    } catch (error) {
      throw new StageError(
        (error as { code?: string }).code === "ENOTEMPTY" ||
          (error as { code?: string }).code === "EEXIST"
          ? "E_STAGE_ALREADY_STAGED"
          : "E_STAGE_WRITE",
        `cannot put ${stage} in place: ${errorMessage(error)}`,
        { path: stage, cause: error },
      );
    }
    state.swapped.push(item.session);
  }
  for (const item of done) {
    for (const [path, png] of item.qa) {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFileAtomic(path, png, { durable: false });
      state.qaWritten.push(path);
    }
  }
}

async function discardWork(state: EngineState): Promise<void> {
  await Promise.all(
    state.staged.map((item) => (item ? rm(item.workDir, { recursive: true, force: true }) : null)),
  );
}

/** Undoes a run whose records could not be written: its `stage/` folders and QA pictures go. */
async function rollBack(state: EngineState): Promise<void> {
  for (const session of state.swapped.splice(0)) {
    await rm(join(session, "stage"), { recursive: true, force: true });
  }
  for (const path of state.qaWritten.splice(0)) await rm(path, { force: true });
  await discardWork(state);
}

/** The module arguments of the original (one list entry per session; order = record order). */
function moduleArgs(settings: Settings, discovery: Discovery, format: string): ModuleArgs {
  const { options } = settings;
  const n = discovery.sessions.length;
  const same = <T>(value: T): T[] => Array.from({ length: n }, () => value);
  const args: Record<string, unknown> = {
    session_filepaths: discovery.sessions.map((session) => session.images),
    image_types: same([...options.imageTypes]),
    keep_best_res: same(options.keepBestRes ?? false),
    reg_filters: same(options.regFilters ? [...options.regFilters] : null),
    plugin_paths: same(
      options.pluginPaths?.length ? options.pluginPaths.map((path) => new FilePath(path)) : null,
    ),
    skip_default_plugins: same(options.skipDefaultPlugins ?? false),
    skip_set_sform: same(options.skipSetSform ?? false),
    subject_target: same(discovery.subjectTarget),
  };
  // Not in the original's records: how MEMPRAGE echoes were grouped.
  if (format !== "radifox") args.plugin_grouping = same(options.grouping ?? "series");
  return args as ModuleArgs;
}

function sessionResults(discovery: Discovery, state: EngineState): SessionResult[] {
  const results: SessionResult[] = discovery.sessions.map((session, index) => {
    const item = state.staged[index] ?? null;
    const target = state.targets?.sessions.find((t) => t.session === session.dir);
    return {
      session: session.dir,
      status: item ? "staged" : "no-match",
      staged: item ? item.staged.map((image) => image.path) : [],
      sessionTarget: target?.target.path ?? null,
      subjectTarget: target ? (state.targets?.subject?.path ?? null) : null,
      filters: item?.filters ?? [],
    };
  });
  for (const session of discovery.alreadyStaged) {
    results.push({
      session,
      status: "already-staged",
      staged: [],
      sessionTarget: null,
      subjectTarget: null,
      filters: [],
    });
  }
  return results.sort((a, b) => compareCodePoints(a.session, b.session));
}

/** The plugins of a run: plugin files, given objects, then the defaults. */
export async function pluginsFor(options: StageOptions): Promise<StagingPlugin[]> {
  return [
    ...(options.pluginPaths?.length ? await loadPluginFiles(options.pluginPaths) : []),
    ...(options.plugins ?? []),
    ...(options.skipDefaultPlugins ? [] : DEFAULT_PLUGINS),
  ];
}

/**
 * Stages one subject: every session without `stage/` gets one, with a provenance record, a
 * `.prov` per staged file, QA pictures in `qa/staging/` and logs in `logs/`. Throws
 * `StageError` (discovery, plugins, images, writing) or `ProvenanceError` (records, container).
 */
export async function stageSubject(
  options: StageOptions,
  run: StageRunOptions = {},
): Promise<StageResult> {
  const subjectDir = resolve(options.cwd ?? process.cwd(), options.subjectDir);
  const resolved: StageOptions = { ...options, subjectDir };
  // One staging run per subject at a time: a second one waits, then finds the sessions staged.
  return withFileLock(join(subjectDir, ".radifox-stage"), async () => {
    const discovery = await discoverSessions(subjectDir, { update: options.update });
    for (const warning of discovery.warnings) run.onWarning?.(warning);
    const settings: Settings = {
      subjectDir,
      options: resolved,
      plugins: await pluginsFor(resolved),
      run,
    };
    const state: EngineState = { staged: [], targets: null, swapped: [], qaWritten: [] };
    const definition: ModuleDefinition = {
      name: MODULE_NAME,
      version: run.version ?? PACKAGE_VERSION,
      logUsesFilename: false,
      skipProvWrite: ["session_target", "subject_target"],
      batched: true,
      cli: () => moduleArgs(settings, discovery, run.recordFormat ?? "extended"),
      run: engine(settings, discovery, state),
    };
    let result: ModuleResult;
    try {
      result = await executeModule(definition, run.command ?? equivalentCommand(resolved), {
        ...run,
        qa: false,
      });
    } catch (error) {
      await rollBack(state);
      throw unwrap(error);
    }
    return {
      subjectDir,
      sessions: sessionResults(discovery, state),
      subjectTarget: state.targets?.subject?.path ?? null,
      warnings: discovery.warnings,
      records: result.records,
      qaImages: state.qaWritten,
      logFiles: result.logFiles,
    };
  }).catch((error: unknown) => {
    if (error instanceof ProvenanceError && error.code === "E_PROV_LOCK") {
      throw new StageError("E_STAGE_LOCKED", `${subjectDir} is being staged by another run`, {
        path: subjectDir,
        cause: error,
      });
    }
    throw error;
  });
}

/** A failure inside the module's run reaches the caller as the StageError it was. */
function unwrap(error: unknown): unknown {
  if (error instanceof ProvenanceError && error.cause instanceof StageError) return error.cause;
  if (error instanceof ProvenanceError && error.code === "E_PROV_RUN" && error.cause) {
    const cause = error.cause as Error;
    return new StageError("E_STAGE_FAILED", errorMessage(cause), { cause });
  }
  return error;
}

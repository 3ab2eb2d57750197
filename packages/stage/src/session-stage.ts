// Staging of one session (spec 5.2) into a private folder beside its future `stage/`: filters in
// order, plugins per filter (outputs first), the best image per filter, the header fix into
// `_hdrfix` copies (compressed data reused) with their QA pictures rendered from the copy as
// read back, which checks it. Nothing becomes visible until the whole subject is staged and the folder is renamed to `stage/`.
import { mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ImageFile, type ImageFilter } from "@radifox/naming";
import {
  alignQformToSform,
  type NiftiImage,
  readImage,
  rewriteHeader,
  writeImage,
} from "@radifox/nifti";
import { encodePng, renderQaImage } from "@radifox/qa";
import { errorMessage, StageError } from "./errors.js";
import type { PluginContext, PluginGrouping, StagingPlugin } from "./plugin.js";
import {
  type FilterOutcome,
  hdrfixName,
  type SelectionSteps,
  selectForFilter,
} from "./selection.js";

/** A log that keeps a session's lines until they can be written in session order. */
export interface SessionLog {
  info(message: string): void;
  warning(message: string): void;
}

export interface StagedSession {
  session: string;
  /** The private folder holding the new `stage/` until it is swapped in. */
  workDir: string;
  /** Staged files as they will be named (`<session>/stage/...`, or `nii/` originals). */
  staged: ImageFile[];
  filters: FilterOutcome[];
  /** QA pictures to write once the session is in place: path -> PNG bytes. */
  qa: Map<string, Uint8Array>;
}

export interface SessionStageSettings {
  imageTypes: readonly ImageFilter[];
  keepBestRes: boolean;
  skipSetSform: boolean;
  plugins: readonly StagingPlugin[];
  grouping: PluginGrouping;
  /** Render QA pictures (`blend` as in @radifox/qa), or `false`. */
  qa: false | { blend?: "labelled" | "all" };
  durable: boolean;
  signal?: AbortSignal;
  onImage?: () => void;
  /**
   * Runs a plugin. Sessions staged in parallel share one that runs them one at a time: a
   * plugin holds several volumes at once, the rest of a session's work one or two.
   */
  pluginTurn?: <T>(run: () => Promise<T>) => Promise<T>;
}

/** The private folder name prefix; leftovers of killed runs are removed by the next run. */
export const WORK_PREFIX = ".stage.partial-";

/** Removes work folders that killed runs left in `session` (the caller holds the subject lock). */
export async function removeStaleWork(session: string): Promise<void> {
  const names = await readdir(session).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(WORK_PREFIX))
      .map((name) => rm(join(session, name), { recursive: true, force: true })),
  );
}

const WRITE_ERRORS = new Set(["ENOSPC", "EFBIG", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO"]);

function systemCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return [own, cause].find(
    (code): code is string =>
      typeof code === "string" && code.startsWith("E") && !code.startsWith("E_"),
  );
}

function writeError(path: string, error: unknown): StageError {
  const reason = errorMessage(error);
  // Errors of @radifox/nifti already name the file.
  const message = reason.includes(path) ? reason : `cannot write ${path}: ${reason}`;
  return new StageError("E_STAGE_WRITE", message, { path, cause: error });
}

/** `input` copied to `output` with qform = sform (the original's `fix_sform_qform`). */
async function fixHeader(
  input: string,
  output: string,
  settings: Pick<SessionStageSettings, "durable" | "signal">,
): Promise<void> {
  try {
    await rewriteHeader(input, output, alignQformToSform, {
      durable: settings.durable,
      signal: settings.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    const code = systemCode(error);
    if (code === "ENOENT") {
      throw new StageError("E_STAGE_IMAGE", `No such file or directory: '${input}'`, {
        path: input,
        cause: error,
      });
    }
    if (code !== undefined && WRITE_ERRORS.has(code)) throw writeError(output, error);
    throw new StageError("E_STAGE_IMAGE", `cannot stage ${input}: ${errorMessage(error)}`, {
      path: input,
      cause: error,
    });
  }
}

/** Stages one session into its work folder; `null` when no filter matched anything. */
export async function stageSession(
  session: string,
  images: readonly ImageFile[],
  settings: SessionStageSettings,
  log: SessionLog,
): Promise<StagedSession | null> {
  const workDir = join(
    session,
    `${WORK_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  );
  await mkdir(workDir);
  try {
    return await stageInto(session, workDir, images, settings, log);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

async function stageInto(
  session: string,
  workDir: string,
  images: readonly ImageFile[],
  settings: SessionStageSettings,
  log: SessionLog,
): Promise<StagedSession | null> {
  const stageDir = join(session, "stage");
  // Images plugins handed over, kept in memory until written (most only feed a _hdrfix copy).
  const pending = new Map<string, NiftiImage>();
  const logical = (image: ImageFile): ImageFile =>
    dirname(image.path) === workDir ? new ImageFile(join(stageDir, image.name)) : image;
  const context: PluginContext = {
    stageDir: workDir,
    grouping: settings.grouping,
    log,
    signal: settings.signal,
    writeImage(path, image) {
      if (dirname(path) !== workDir) {
        throw new StageError("E_STAGE_PLUGIN", `plugin outputs belong in ${workDir}, not ${path}`, {
          path,
        });
      }
      pending.set(path, image);
      return path;
    },
  };
  // Two filters may hand a plugin the same images: it runs once per distinct input set.
  const memo = new Map<string, ImageFile[]>();
  const runPlugin = async (index: number, plugin: StagingPlugin, inputs: ImageFile[]) => {
    const key = `${index}\u0000${inputs.map((image) => image.path).join("\u0000")}`;
    let outputs = memo.get(key);
    if (!outputs) {
      try {
        const run = async () => plugin.run(inputs, context);
        outputs = await (settings.pluginTurn ? settings.pluginTurn(run) : run());
      } catch (error) {
        if (error instanceof StageError || (error as Error).name === "AbortError") throw error;
        throw new StageError(
          "E_STAGE_PLUGIN",
          `plugin ${plugin.name} failed on ${session}: ${errorMessage(error)}`,
          { path: session, cause: error },
        );
      }
      memo.set(key, outputs);
    }
    return outputs;
  };

  const filtered: ImageFile[] = [];
  const filters: FilterOutcome[] = [];
  const steps: SelectionSteps = {
    plugins: settings.plugins,
    keepBestRes: settings.keepBestRes,
    runPlugin,
    view: logical,
    onProblem: (message) => log.warning(`${message}.`),
    onDiscard: (view) => {
      if (dirname(view.path) === stageDir) {
        log.warning(`Removing staged ${view.path} because it is not the best image.`);
      }
    },
  };
  for (const filter of settings.imageTypes) {
    settings.signal?.throwIfAborted();
    const selection = await selectForFilter(filter, images, steps);
    if (!selection) continue;
    filters.push(selection.outcome);
    filtered.push(...selection.selected);
  }
  if (filtered.length === 0) {
    log.warning(`No matching images found for ${session}. Skipping.`);
    await rm(workDir, { recursive: true, force: true });
    return null;
  }

  const qa = new Map<string, Uint8Array>();
  const qaDir = join(session, "qa", "staging");
  const renderQa = async (shown: ImageFile, source: string | NiftiImage) => {
    const png = join(qaDir, `${shown.stem}.png`);
    if (settings.qa === false || qa.has(png)) return;
    try {
      const { pixels, info } = await renderQaImage(source, { blend: settings.qa.blend });
      qa.set(png, encodePng(pixels, info.width, info.height, info.mode, { level: 1 }));
    } catch (error) {
      log.warning(`Could not create the QA image for ${shown.path}: ${errorMessage(error)}.`);
    }
  };
  const load = async (image: ImageFile, into?: ArrayBuffer): Promise<NiftiImage> => {
    // Plugin outputs handed over in memory are used as they are.
    const held = pending.get(image.path);
    if (held) return held;
    try {
      return await readImage(image.path, { signal: settings.signal, into });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new StageError(
        "E_STAGE_IMAGE",
        systemCode(error) === "ENOENT"
          ? `No such file or directory: '${image.path}'`
          : `cannot read ${image.path}: ${errorMessage(error)}`,
        { path: image.path, cause: error },
      );
    }
  };
  const write = async (path: string, image: NiftiImage) => {
    try {
      await writeImage(path, image, { durable: settings.durable, signal: settings.signal });
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw writeError(path, error);
    }
  };

  // Copies are read back one at a time into one buffer: each is done with after its picture.
  let spare: ArrayBuffer | undefined;
  /** Stages one selected image; returns the staged file (its name in `stage/` or `nii/`). */
  const stageOne = async (image: ImageFile): Promise<ImageFile> => {
    settings.signal?.throwIfAborted();
    const held = pending.get(image.path);
    if (settings.skipSetSform) {
      // Originals stay where they are; handed-over plugin outputs are written as they are.
      if (held) await write(image.path, held);
      await renderQa(logical(image), held ?? image.path);
      return logical(image);
    }
    const name = hdrfixName(image);
    const output = join(workDir, name);
    const staged = new ImageFile(join(stageDir, name));
    if (held) {
      const fixed = held.withHeader(alignQformToSform(held.header));
      await write(output, fixed);
      await renderQa(staged, fixed);
    } else {
      // The data is copied as stored (compressed data reused); reading the copy back for its
      // QA picture also checks it (gzip CRC) before it is staged.
      await fixHeader(image.path, output, settings);
      const copy = await load(new ImageFile(output), spare);
      await renderQa(staged, copy);
      spare = copy.data.buffer as ArrayBuffer;
    }
    return staged;
  };
  // An image two filters selected is staged once and listed twice.
  const done = new Map<string, ImageFile>();
  for (const image of filtered) {
    if (done.has(image.path)) continue;
    done.set(image.path, await stageOne(image));
    settings.onImage?.();
  }
  const staged = filtered.map((image) => done.get(image.path) as ImageFile);
  // The original's step 4: only the staged files remain (plugin intermediates go).
  const keep = new Set(staged.map((image) => image.name));
  for (const name of await readdir(workDir)) {
    if (!keep.has(name)) await rm(join(workDir, name), { recursive: true, force: true });
  }
  return { session, workDir, staged, filters, qa };
}

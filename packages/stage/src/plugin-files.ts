// `--plugin-paths`: ES modules whose exports are staging plugins. As the original collects every
// StagingPlugin class of a plugin file in name order, every export that is a plugin object, or
// a class with static `filter` and `run` (the original's shape), is taken, ordered by name.
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { errorMessage, StageError } from "./errors.js";
import { isStagingPlugin, type StagingPlugin } from "./plugin.js";

function asPlugin(exportName: string, value: unknown): StagingPlugin | undefined {
  if (isStagingPlugin(value)) return value;
  if (typeof value === "function") {
    const statics = value as unknown as Partial<StagingPlugin> & { name: string };
    if (typeof statics.filter === "function" && typeof statics.run === "function") {
      return {
        name: statics.name || exportName,
        filter: statics.filter.bind(value),
        run: statics.run.bind(value),
        plan: statics.plan?.bind(value),
      };
    }
  }
  return undefined;
}

/** The plugins exported by one file, in export-name order. */
export async function loadPluginFile(path: string): Promise<StagingPlugin[]> {
  const ext = extname(path);
  if (ext === ".py") {
    throw new StageError(
      "E_STAGE_PLUGIN",
      `${path} is a Python plugin; plugins here are ES modules (.js, .mjs, or .ts where Node can load TypeScript) exporting objects with filter() and run()`,
      { path },
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const hint =
      ext === ".ts" && code === "ERR_UNKNOWN_FILE_EXTENSION"
        ? " (this Node.js cannot load TypeScript: use Node 22.6+ with --experimental-strip-types, a loader such as tsx, or compile the plugin to .js)"
        : "";
    throw new StageError(
      "E_STAGE_PLUGIN",
      `cannot load plugin file ${path}: ${errorMessage(error)}${hint}`,
      { path, cause: error },
    );
  }
  const plugins = Object.keys(module)
    .sort()
    .flatMap((name) => {
      const plugin = asPlugin(name, module[name]);
      return plugin ? [plugin] : [];
    });
  if (plugins.length === 0) {
    throw new StageError(
      "E_STAGE_PLUGIN",
      `plugin file ${path} exports no staging plugin (an object or class with filter() and run())`,
      { path },
    );
  }
  return plugins;
}

/** The plugins of every file, in path order. */
export async function loadPluginFiles(paths: readonly string[]): Promise<StagingPlugin[]> {
  const plugins: StagingPlugin[] = [];
  for (const path of paths) plugins.push(...(await loadPluginFile(path)));
  return plugins;
}

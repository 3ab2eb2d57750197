// One entry point for both layouts: an archive root is the XNAT layout when one of its folders
// is a project (project.json or arc001 inside), otherwise a RADIFOX study.
import { join } from "node:path";
import { openRadifoxArchive } from "./radifox/index.js";
import type { XnatArchive } from "./source.js";
import { openXnatArchive } from "./xnat/archive.js";
import { isDirectory, isFile, LAYOUT, listFolders } from "./xnat/disk.js";

export interface OpenArchiveOptions {
  /** The layout, when it should not be detected. */
  readonly layout?: XnatArchive["layout"];
}

/**
 * The layout of the archive at `root`: `xnat` when a folder below it holds `project.json` or
 * `arc001`, else `radifox`. Reads the root folder and stats its sub-folders.
 */
export function detectArchiveLayout(root: string): XnatArchive["layout"] {
  const project = listFolders(root).find(
    (name) =>
      isFile(join(root, name, LAYOUT.projectFile)) || isDirectory(join(root, name, LAYOUT.arc)),
  );
  return project === undefined ? "radifox" : "xnat";
}

/**
 * Opens the archive at `root` in its layout (detected unless `options.layout` says):
 * {@link openXnatArchive} or `openRadifoxArchive` with their default options. Throws an
 * `ArchiveError` `E_ARCHIVE_ROOT` when `root` is not a folder.
 */
export function openArchive(root: string, options: OpenArchiveOptions = {}): XnatArchive {
  if (!isDirectory(root)) {
    return openXnatArchive(root); // throws E_ARCHIVE_ROOT naming the path
  }
  const layout = options.layout ?? detectArchiveLayout(root);
  return layout === "xnat" ? openXnatArchive(root) : openRadifoxArchive(root);
}

// Build folders: new folders under the site build path that receive copies of archive data or a
// container's output (spec 3.11). Planning a launch must not touch the disk, so creating and
// copying happen only when `materialize` is on.
import { randomUUID } from "node:crypto";
import { cpSync, mkdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

export interface BuildFolders {
  /** Whether folders are really made and filled (not just planned). */
  readonly materialize: boolean;
  /** A new folder `<buildPath>/<id>`, created when materialising. */
  create(): string;
  /** Copies `source` (a folder's contents, or one file as `<folder>/<name>`) into `folder`. */
  copyInto(source: string, folder: string): void;
}

export function buildFolders(
  buildPath: string,
  materialize: boolean,
  newId: () => string = randomUUID,
): BuildFolders {
  return {
    materialize,
    create() {
      const folder = join(buildPath, newId());
      if (materialize) mkdirSync(folder, { recursive: true });
      return folder;
    },
    copyInto(source, folder) {
      if (!materialize) return;
      // Real copies: a link in the copy must not lead back into the archive.
      if (statSync(source).isDirectory()) {
        cpSync(source, folder, { recursive: true, dereference: true });
      } else cpSync(source, join(folder, basename(source)), { dereference: true });
    },
  };
}

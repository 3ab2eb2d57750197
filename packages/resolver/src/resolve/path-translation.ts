// Host-path translation (spec 3.11): the folder XNAT sees may live elsewhere on the machine that
// runs containers.
import type { ResolveSettings } from "./types.js";

export function translatePath(path: string, settings: ResolveSettings, anchored: boolean): string {
  const from = settings.pathTranslationXnatPrefix;
  const to = settings.pathTranslationDockerPrefix;
  if (from === undefined || from === null || to === undefined || to === null || from === "") {
    return path;
  }
  if (anchored) return path.startsWith(from) ? to + path.slice(from.length) : path;
  // XCS uses String.replace: every occurrence, anywhere in the path.
  return path.split(from).join(to);
}

// The RADIFOX layout of @xcs/archive: a RADIFOX study seen as XNAT objects.
export { openRadifoxArchive, type RadifoxArchive, type RadifoxArchiveOptions } from "./archive.js";
export type { RadifoxProblem } from "./errors.js";
export { assignScanIds } from "./images.js";

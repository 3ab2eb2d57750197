// BIDS subject and session labels of RADIFOX folders. BIDS labels hold ASCII letters and digits
// only, so everything else is dropped; two folders may then give one label, which the planner
// reports rather than merging them.

const NOT_LABEL = /[^A-Za-z0-9]/g;

/**
 * The subject label of a subject folder `<PROJECT>[-<SITE>]-<SUBJECT>`: the project prefix
 * removed, then every character but letters and digits. The prefix is `projectId` and `-`
 * when the folder starts so (case-insensitively: the study folder, whose name is the default
 * project id, is the lower-case project), else the folder's first `-` part, as RADIFOX
 * subject ids always start with the project. `BENCH-0001` → `0001`, `PROJ-SITE-123` →
 * `SITE123`; a folder without `-` keeps its whole name. May be `""` (`BENCH-`).
 */
export function subjectLabel(folder: string, projectId: string): string {
  const prefix = `${projectId}-`;
  let rest: string;
  if (folder.toLowerCase().startsWith(prefix.toLowerCase())) rest = folder.slice(prefix.length);
  else {
    const dash = folder.indexOf("-");
    rest = dash < 0 ? folder : folder.slice(dash + 1);
  }
  return rest.replace(NOT_LABEL, "");
}

/**
 * The session label of a session folder: its name without anything but letters and digits
 * (`1` → `1`, the `--safe` attempt `1-2` → `12`). May be `""`.
 */
export function sessionLabel(folder: string): string {
  return folder.replace(NOT_LABEL, "");
}

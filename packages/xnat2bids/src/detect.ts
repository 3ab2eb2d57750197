// What an input folder is: one XNAT session (it has SCANS or RESOURCES), a folder of sessions
// (a project's arc001, or any folder whose sub-folders are sessions), or a RADIFOX study
// (`<subject>/<session>/nii/`).
import { join } from "node:path";
import { folderNames, isFolder, type Report } from "./folders.js";
import type { InputKind } from "./plan.js";
import { isXnatSession, XNAT_FOLDERS } from "./xnat/source.js";

/** The RADIFOX session folder that holds the images. */
const NII = "nii";

function isRadifoxStudy(root: string, report: Report): boolean {
  return folderNames(root, report).some((subject) =>
    folderNames(join(root, subject), report).some((session) =>
      isFolder(join(root, subject, session, NII)),
    ),
  );
}

/** The kind of `root`, or undefined (and an error finding) when it is none of them. */
export function detectInput(root: string, report: Report): InputKind | undefined {
  if (isXnatSession(root)) return "xnat-session";
  if (isFolder(join(root, XNAT_FOLDERS.arc))) return "xnat-sessions";
  if (folderNames(root, report).some((name) => isXnatSession(join(root, name)))) {
    return "xnat-sessions";
  }
  if (isRadifoxStudy(root, report)) return "radifox";
  report({
    severity: "error",
    code: "INPUT_UNKNOWN",
    message: `neither an XNAT session (${XNAT_FOLDERS.scans}/, ${XNAT_FOLDERS.resources}/), a folder of sessions, nor a RADIFOX study (<subject>/<session>/${NII}/)`,
    path: root,
  });
  return undefined;
}

// Problems of the RADIFOX layout: what was skipped or only partly used. (A study that cannot be
// opened at all throws the package's `ArchiveError`.)

/**
 * Something in the study that was skipped or only partly used. Codes:
 * * `E_NAME_SYNTAX` — an image in `nii/` whose name `parseName` rejects: skipped, with
 *   its sidecar;
 * * `E_UNUSED_FILE` — a file in `nii/` that belongs to no image (an orphaned sidecar): left out;
 * * `E_SIDECAR_MISSING` — an image without its `.json` sidecar: the scan has no `JSON`
 *   resource and no sidecar fields;
 * * `E_SIDECAR_READ`, `E_SIDECAR_JSON`, `E_SIDECAR_FORMAT` — a sidecar that cannot be used
 *   (same codes as `@radifox/naming`): the scan has no sidecar fields;
 * * `E_NIFTI_HEADER` — an image whose NIfTI header cannot be read: the scan has no `frames`;
 * * `E_NOT_A_SESSION` — a folder in a subject folder that holds none of the RADIFOX session
 *   folders (`nii`, `dcm`, `proc`, …): not listed as a session;
 * * `E_ARCHIVE_READ` — a folder or file that cannot be read (permissions, I/O).
 */
export interface RadifoxProblem {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

// Where each component of a RADIFOX stem lies, found once per name without cutting anything
// out: a filter can then compare components in place, and reading one allocates one string.
//
// Slots 0-3 are the `_` fields (subject, session, image id, image type); slots 4-9 are the six
// type components inside field 3. `ends[slot]` is the end offset of the slot in the stem, or
// -1 when the name does not have it (the original's IndexError).

export const SLOTS = {
  subjectId: 0,
  sessionId: 1,
  imageId: 2,
  imageType: 3,
  bodypart: 4,
  modality: 5,
  technique: 6,
  acqdim: 7,
  orientation: 8,
  excontrast: 9,
} as const;

export type Slot = (typeof SLOTS)[keyof typeof SLOTS];

/** End offsets of the ten slots of `stem`, split as `stem.split("_")` and `type.split("-")`. */
export function slotEnds(stem: string): number[] {
  const ends = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1];
  let start = 0;
  for (let field = 0; field < 4; field++) {
    const separator = stem.indexOf("_", start);
    ends[field] = separator < 0 ? stem.length : separator;
    if (separator < 0) break;
    start = separator + 1;
  }
  const typeEnd = ends[3] ?? -1;
  if (typeEnd < 0) return ends;
  start = (ends[2] ?? 0) + 1;
  for (let part = 0; part < 6; part++) {
    const dash = stem.indexOf("-", start);
    const end = dash < 0 || dash > typeEnd ? typeEnd : dash;
    ends[4 + part] = end;
    if (end === typeEnd) break;
    start = end + 1;
  }
  return ends;
}

/** Start offset of a slot that exists. */
export function slotStart(ends: readonly number[], slot: Slot): number {
  if (slot === 0) return 0;
  const previous = slot === 4 ? 2 : slot - 1;
  return (ends[previous] ?? 0) + 1;
}

/** Where the extras start (after the sixth type part), or -1 when there are none. */
export function extrasStart(ends: readonly number[]): number {
  const excontrastEnd = ends[9] ?? -1;
  return excontrastEnd >= 0 && excontrastEnd < (ends[3] ?? -1) ? excontrastEnd + 1 : -1;
}

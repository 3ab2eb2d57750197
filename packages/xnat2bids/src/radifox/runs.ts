// Run numbers: images of one session that the mapping gives one name (two T2 FSE series, say)
// become `run-1`, `run-2`, … in image-id order, so none overwrites another.
import { compareCodePoints, type ParsedName } from "@radifox/naming";
import type { XnatFile, XnatScan } from "@xcs/archive";
import { type BidsName, entityValue, formatBidsName } from "../bids/names.js";

/** An image of a session with the BIDS name (no extension) it is to get. */
export interface Candidate {
  readonly scan: XnatScan;
  /** Its `.nii.gz` (or `.nii`). */
  readonly image: XnatFile;
  readonly parsed: ParsedName;
  readonly name: BidsName;
  readonly why: string;
}

const withoutRun = (name: BidsName): BidsName => ({
  ...name,
  entities: name.entities.filter((e) => e.key !== "run"),
});

/** Image-id order: study, series, a run an extra gave (`DYN<n>`), then the RADIFOX name. */
function imageOrder(a: Candidate, b: Candidate): number {
  const run = (c: Candidate) => Number(entityValue(c.name, "run") ?? 0);
  return (
    Number(a.parsed.studyNumber) - Number(b.parsed.studyNumber) ||
    Number(a.parsed.seriesNumber) - Number(b.parsed.seriesNumber) ||
    run(a) - run(b) ||
    compareCodePoints(a.parsed.stem, b.parsed.stem)
  );
}

/**
 * The candidates of one session, in the same order, with `run-<i>` set wherever two or more
 * share a name once runs are ignored (numbered in image-id order, replacing any run an extra
 * gave); the others keep their names.
 */
export function assignRuns(candidates: readonly Candidate[]): Candidate[] {
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = formatBidsName(withoutRun(candidate.name));
    groups.set(key, [...(groups.get(key) ?? []), candidate]);
  }
  const numbered = new Map<Candidate, Candidate>();
  for (const [key, group] of groups) {
    if (group.length < 2) continue;
    [...group].sort(imageOrder).forEach((candidate, i) => {
      const base = withoutRun(candidate.name);
      const run = String(i + 1);
      numbered.set(candidate, {
        ...candidate,
        name: { ...base, entities: [...base.entities, { key: "run", value: run }] },
        why:
          `${candidate.why}, run-${run}: ${i + 1} of ${group.length} images of the session ` +
          `named ${key}, in image-id order`,
      });
    });
  }
  return candidates.map((c) => numbered.get(c) ?? c);
}

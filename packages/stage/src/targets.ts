// Registration targets (spec 5.3): per session, the first registration filter that matches a
// staged image picks one (most isotropic for 3-D filters, else thinnest slices); the subject
// target is the one an earlier run left (`--update`), else the first filter that matches a
// session target, in session order. Links are relative, so a moved study keeps them.
import { relative } from "node:path";
import type { ImageFile, ImageFilter } from "@radifox/naming";
import { type Choice, chosenImage, pickMostIsotropic, pickSmallestSlices } from "./resolution.js";

export interface SessionTarget {
  session: string;
  /** The filter that chose it (as given). */
  filter: string;
  target: ImageFile;
  choice: Choice;
}

export interface Targets {
  sessions: SessionTarget[];
  subject: ImageFile | null;
  /** Which filter chose the subject target, or `update` when an earlier run's was kept. */
  subjectFilter: string | null;
}

/** The session target of one session's staged images, or `null`. */
export async function sessionTarget(
  session: string,
  staged: readonly ImageFile[],
  regFilters: readonly ImageFilter[],
  onProblem?: (message: string) => void,
): Promise<SessionTarget | null> {
  for (const filter of regFilters) {
    const matches = filter.partition(staged).matched;
    if (matches.length === 0) continue;
    const choice =
      filter.get("acqdim") === "3D"
        ? await pickMostIsotropic(matches, onProblem)
        : await pickSmallestSlices(matches, onProblem);
    return { session, filter: filter.toString(), target: chosenImage(matches, choice), choice };
  }
  return null;
}

/** Session and subject targets of a subject's newly staged sessions. */
export async function registrationTargets(
  staged: readonly { session: string; staged: readonly ImageFile[] }[],
  regFilters: readonly ImageFilter[],
  previousSubjectTarget: ImageFile | null,
  onProblem?: (message: string) => void,
): Promise<Targets> {
  const sessions: SessionTarget[] = [];
  for (const item of staged) {
    const target = await sessionTarget(item.session, item.staged, regFilters, onProblem);
    if (target) sessions.push(target);
  }
  if (previousSubjectTarget) {
    return { sessions, subject: previousSubjectTarget, subjectFilter: "update" };
  }
  for (const filter of regFilters) {
    const match = sessions.find((item) => filter.partition([item.target]).matched.length > 0);
    if (match) return { sessions, subject: match.target, subjectFilter: filter.toString() };
  }
  return { sessions, subject: null, subjectFilter: null };
}

/** The original's link texts: `../<target from the session>` and `../../<from the subject>`. */
export function targetLinks(
  session: string,
  subjectDir: string,
  sessionTarget: ImageFile,
  subjectTarget: ImageFile | null,
): { session: string; subject: string | null } {
  return {
    session: `../${relative(session, sessionTarget.path)}`,
    subject: subjectTarget ? `../../${relative(subjectDir, subjectTarget.path)}` : null,
  };
}

// `--plan`: what staging would do, without reading image data or writing anything: for every
// session and filter the matched images, what plugins would make of them, the numbers that
// decide the best image, the staged names and the registration targets.
import { basename, join, resolve } from "node:path";
import { ImageFile } from "@radifox/naming";
import type { StageOptions } from "./args.js";
import { discoverSessions } from "./discover.js";
import type { StagingPlugin } from "./plugin.js";
import type { Choice } from "./resolution.js";
import {
  type FilterOutcome,
  hdrfixName,
  type SelectionSteps,
  selectForFilter,
} from "./selection.js";
import { pluginsFor } from "./stage.js";
import { registrationTargets } from "./targets.js";

export interface PlannedSession {
  session: string;
  status: "would-stage" | "no-match" | "already-staged";
  /** The session's images (sidecar-driven, ND dropped, descending by name). */
  images: string[];
  filters: FilterOutcome[];
  /** The files `stage/` would hold (before targets). */
  staged: string[];
  sessionTarget: { path: string; filter: string; choice: Choice } | null;
  /** Things that would be warned about or fail (missing numbers, incomplete plugin sets). */
  problems: string[];
}

export interface StagePlan {
  subjectDir: string;
  sessions: PlannedSession[];
  subjectTarget: { path: string; filter: string } | null;
  warnings: string[];
}

async function planSession(
  session: string,
  images: readonly ImageFile[],
  options: StageOptions,
  plugins: readonly StagingPlugin[],
): Promise<PlannedSession> {
  const stageDir = join(session, "stage");
  const problems: string[] = [];
  const filters: FilterOutcome[] = [];
  const selected: ImageFile[] = [];
  const steps: SelectionSteps = {
    plugins,
    keepBestRes: options.keepBestRes ?? false,
    view: (image) => image,
    onProblem: (message) => problems.push(message),
    async runPlugin(_index, plugin, taken) {
      if (taken.length === 0) return [];
      if (!plugin.plan) {
        problems.push(
          `${plugin.name} would take ${taken.length} image(s); its outputs are known only when it runs`,
        );
        return undefined;
      }
      const predicted = plugin.plan(taken, { stageDir, grouping: options.grouping ?? "series" });
      problems.push(...predicted.problems);
      return predicted.outputs.map((output) => new ImageFile(output.path));
    },
  };
  for (const filter of options.imageTypes) {
    const selection = await selectForFilter(filter, images, steps);
    if (!selection) continue;
    filters.push(selection.outcome);
    selected.push(...selection.selected);
  }
  const staged = options.skipSetSform
    ? selected
    : selected.map((image) => new ImageFile(join(stageDir, hdrfixName(image))));
  return {
    session,
    status: staged.length > 0 ? "would-stage" : "no-match",
    images: images.map((image) => image.path),
    filters,
    staged: staged.map((image) => image.path),
    sessionTarget: null,
    problems,
  };
}

/** The plan of `stageSubject(options)`; reads names and sidecars only. */
export async function planStaging(options: StageOptions): Promise<StagePlan> {
  const subjectDir = resolve(options.cwd ?? process.cwd(), options.subjectDir);
  const resolved: StageOptions = { ...options, subjectDir };
  const discovery = await discoverSessions(subjectDir, { update: options.update });
  const plugins = await pluginsFor(resolved);
  const sessions: PlannedSession[] = [];
  for (const session of discovery.sessions) {
    sessions.push(await planSession(session.dir, session.images, resolved, plugins));
  }
  let subjectTarget: StagePlan["subjectTarget"] = null;
  if (options.regFilters) {
    const staging = sessions
      .filter((session) => session.status === "would-stage")
      .map((session) => ({
        session: session.session,
        staged: session.staged.map((path) => new ImageFile(path)),
      }));
    const targets = await registrationTargets(
      staging,
      options.regFilters,
      discovery.subjectTarget,
      (problem) => sessions[0]?.problems.push(problem),
    );
    for (const target of targets.sessions) {
      const planned = sessions.find((session) => session.session === target.session);
      if (planned) {
        planned.sessionTarget = {
          path: target.target.path,
          filter: target.filter,
          choice: target.choice,
        };
      }
    }
    if (targets.subject) {
      subjectTarget = { path: targets.subject.path, filter: targets.subjectFilter ?? "" };
    }
  }
  for (const session of discovery.alreadyStaged) {
    sessions.push({
      session,
      status: "already-staged",
      images: [],
      filters: [],
      staged: [],
      sessionTarget: null,
      problems: [],
    });
  }
  return { subjectDir, sessions, subjectTarget, warnings: discovery.warnings };
}

function number(value: number | null | undefined): string {
  return value === null || value === undefined ? "?" : String(Number(value.toPrecision(4)));
}

/** The plan as text: one block per session, one line per candidate with its numbers. */
export function formatPlan(plan: StagePlan): string {
  const lines = [`Subject ${plan.subjectDir}`];
  for (const warning of plan.warnings) lines.push(`  warning: ${warning}`);
  for (const session of plan.sessions) {
    lines.push(`  Session ${basename(session.session)}: ${session.status}`);
    for (const filter of session.filters) {
      lines.push(`    filter ${filter.filter}: ${filter.matched.length} matched`);
      for (const plugin of filter.plugins) {
        const made = plugin.outputs.map((p) => basename(p)).join(", ") || "(unknown until run)";
        lines.push(`      ${plugin.plugin}: ${plugin.inputs.length} image(s) -> ${made}`);
      }
      const choice = filter.choice;
      if (choice) {
        lines.push(`      best image by ${choice.rule}:`);
        for (const candidate of choice.candidates) {
          const mark = candidate.path === choice.chosen ? "*" : " ";
          const score =
            choice.rule === "most-isotropic"
              ? `anisotropy ${number(candidate.anisotropy)}`
              : choice.rule === "smallest-slice-spacing"
                ? `slice spacing ${number(candidate.spacing)}`
                : "only candidate";
          lines.push(
            `      ${mark} ${basename(candidate.path)}  ${candidate.acqdim}  res ${
              candidate.acquiredResolution?.join("x") ?? "?"
            }  thickness ${number(candidate.sliceThickness)}  spacing ${number(
              candidate.sliceSpacing,
            )}  ${score}`,
          );
        }
      }
      for (const selected of filter.selected) lines.push(`      -> ${basename(selected)}`);
    }
    if (session.sessionTarget) {
      lines.push(
        `    session target: ${basename(session.sessionTarget.path)} (by ${session.sessionTarget.filter})`,
      );
    }
    for (const problem of session.problems) lines.push(`    problem: ${problem}`);
  }
  if (plan.subjectTarget) {
    lines.push(`  Subject target: ${plan.subjectTarget.path} (by ${plan.subjectTarget.filter})`);
  }
  return `${lines.join("\n")}\n`;
}

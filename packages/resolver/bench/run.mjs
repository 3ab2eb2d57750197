// Resolution speed on a generated XNAT-layout archive (one project of BENCH_SESSIONS sessions
// x 10 scans x 2 resources x 1 file; default 10,000 sessions; kept in the temp folder between
// runs). Needs the built packages (pnpm build). Speed is reported, never asserted.
//
// 1. Session level: a command that matches a scan, derives its resource (mounted) and a string
//    property, per launch, with the archive opened once (warm) and opened per launch (cold).
// 2. Project level: a Project input, a subject picked by a matcher and its session picked by a
//    matcher over the session's scans, in a fresh process so that its peak memory is its own.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateXnatArchive, openArchive } from "@xcs/archive";
import { readCommand } from "@xcs/command-schema";
import { resolveCommand } from "../dist/index.js";

const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 10_000);
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? 500);
const PROJECT = "BENCH";

const sessionCommand = readCommand(
  JSON.stringify({
    name: "bench-session",
    image: "busybox:latest",
    "command-line": "run #T1_DESC# -o /output /input",
    mounts: [
      { name: "in", path: "/input" },
      { name: "out", path: "/output", writable: true },
    ],
    inputs: [{ name: "t1-desc", "replacement-key": "#T1_DESC#", "command-line-flag": "--t1" }],
    outputs: [{ name: "o", mount: "out" }],
    xnat: [
      {
        name: "w",
        "external-inputs": [{ name: "session", type: "Session" }],
        "derived-inputs": [
          {
            name: "t1",
            type: "Scan",
            "derived-from-wrapper-input": "session",
            matcher: "@.scan-type == 'T1w'",
          },
          {
            name: "t1-nifti",
            type: "Resource",
            "derived-from-wrapper-input": "t1",
            matcher: "@.label == 'NIFTI'",
            "provides-files-for-command-mount": "in",
          },
          {
            name: "t1-series",
            type: "string",
            "derived-from-wrapper-input": "t1",
            "derived-from-xnat-object-property": "series-description",
            "provides-value-for-command-input": "t1-desc",
          },
        ],
        "output-handlers": [
          { name: "h", "accepts-command-output": "o", "as-a-child-of": "session", label: "OUT" },
        ],
      },
    ],
  }),
  { mode: "model" },
).command;

function projectCommand(subjectLabel) {
  return readCommand(
    JSON.stringify({
      name: "bench-project",
      image: "busybox:latest",
      "command-line": "run #LABEL#",
      mounts: [{ name: "in", path: "/input" }],
      inputs: [{ name: "session-label", "replacement-key": "#LABEL#" }],
      xnat: [
        {
          name: "w",
          "external-inputs": [{ name: "project", type: "Project" }],
          "derived-inputs": [
            {
              name: "subject",
              type: "Subject",
              "derived-from-wrapper-input": "project",
              matcher: `@.label == '${subjectLabel}'`,
            },
            {
              name: "session",
              type: "Session",
              "derived-from-wrapper-input": "subject",
              matcher: "'T1w' in @.scans[*].scan-type",
              "provides-files-for-command-mount": "in",
            },
            {
              name: "label",
              type: "string",
              "derived-from-wrapper-input": "session",
              "derived-from-xnat-object-property": "label",
              "provides-value-for-command-input": "session-label",
            },
          ],
        },
      ],
    }),
    { mode: "model" },
  ).command;
}

/** The generated archive, made once per size and reused (generation is not what we measure). */
function archiveRoot() {
  const root = join(tmpdir(), `xcs-resolver-bench-${SESSIONS}x10x2`);
  if (existsSync(join(root, ".complete"))) return root;
  rmSync(root, { recursive: true, force: true });
  const staging = mkdtempSync(`${root}.tmp-`);
  const started = performance.now();
  generateXnatArchive({
    root: staging,
    project: PROJECT,
    sessions: SESSIONS,
    scansPerSession: 10,
    resourcesPerScan: 2,
    filesPerResource: 1,
  });
  writeFileSync(join(staging, ".complete"), "");
  renameSync(staging, root);
  console.log(
    `generated ${SESSIONS} sessions in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return root;
}

const settings = (root) => ({ buildPath: join(root, "..", "xcs-bench-build"), archivePath: root });
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.floor(values.length * p)];

function sessionLevel(root) {
  const archive = openArchive(root);
  const sessions = [...archive.sessions(PROJECT)].map((session) => session.uri);
  const pick = (i) => sessions[(i * 7919) % sessions.length];
  const resolveOn = (source, uri) =>
    resolveCommand(sessionCommand, {
      wrapper: "w",
      inputs: { session: uri },
      settings: settings(root),
      source,
      materialize: false,
    });
  const first = resolveOn(archive, pick(0));
  for (let i = 0; i < 50; i += 1) resolveOn(archive, pick(i)); // warm-up
  const warm = [];
  for (let i = 0; i < LAUNCHES; i += 1) {
    const started = performance.now();
    resolveOn(archive, pick(i));
    warm.push(performance.now() - started);
  }
  const cold = [];
  for (let i = 0; i < Math.min(LAUNCHES, 200); i += 1) {
    const started = performance.now();
    resolveOn(openArchive(root), pick(i + 1000));
    cold.push(performance.now() - started);
  }
  console.log(`session level: ${first.commandLine}`);
  console.log(
    `  per launch, archive open: median ${median(warm).toFixed(2)} ms, p95 ${percentile(warm, 0.95).toFixed(2)} ms (${LAUNCHES} launches)`,
  );
  console.log(
    `  per launch, archive opened each time: median ${median(cold).toFixed(2)} ms, p95 ${percentile(cold, 0.95).toFixed(2)} ms`,
  );
}

/** Runs in a child process: one project-level resolution, its time and peak memory. */
function projectChild(root, subjectLabel) {
  const started = performance.now();
  const archive = openArchive(root);
  const resolved = resolveCommand(projectCommand(subjectLabel), {
    wrapper: "w",
    inputs: { project: `/archive/projects/${PROJECT}` },
    settings: settings(root),
    source: archive,
    materialize: false,
  });
  const ms = performance.now() - started;
  const rssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ ms, rssMb, line: resolved.commandLine }));
}

function projectLevel(root) {
  const script = fileURLToPath(import.meta.url);
  const runs = [];
  for (const index of [SESSIONS - 1, Math.floor(SESSIONS / 2), 0]) {
    const subject = `S${String(index + 1).padStart(5, "0")}`;
    const child = spawnSync(process.execPath, [script, "--project-child", root, subject], {
      encoding: "utf8",
    });
    if (child.status !== 0) throw new Error(child.stderr);
    runs.push(JSON.parse(child.stdout));
  }
  console.log(`project level (${SESSIONS} sessions): ${runs[0].line}`);
  for (const run of runs) {
    console.log(`  fresh process: ${run.ms.toFixed(0)} ms, peak RSS ${run.rssMb.toFixed(0)} MB`);
  }
}

if (process.argv[2] === "--project-child") {
  projectChild(process.argv[3], process.argv[4]);
} else {
  console.log(
    `machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), Node ${process.version}`,
  );
  const root = archiveRoot();
  sessionLevel(root);
  projectLevel(root);
}

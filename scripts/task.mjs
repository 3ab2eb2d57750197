#!/usr/bin/env node
// Entry point behind the root package.json scripts. It works on a machine that has only Node
// and npm: the pinned pnpm is fetched with npx for the first install, after which the pnpm,
// turbo and biome binaries come from node_modules/.bin.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = join(root, "node_modules", ".bin");
const env = {
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH ?? ""}`,
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  // pnpm's own update check would reach out to the registry on every call.
  npm_config_update_notifier: "false",
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(
      `\n${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(result.status ?? 1);
  }
}

function pinnedPnpm() {
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const match = /^pnpm@(\d+\.\d+\.\d+)$/.exec(manifest.packageManager ?? "");
  if (!match) throw new Error("package.json must pin packageManager to pnpm@x.y.z");
  return match[1];
}

function installedPnpmVersion() {
  if (!existsSync(join(bin, "pnpm"))) return undefined;
  const result = spawnSync(join(bin, "pnpm"), ["--version"], { env, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Install the workspace with the pinned pnpm (frozen lockfile: a fresh clone gets what CI got). */
function bootstrap() {
  const version = pinnedPnpm();
  const args = ["install", "--frozen-lockfile", "--config.engine-strict=true"];
  if (installedPnpmVersion() === version) run(join(bin, "pnpm"), args);
  else run("npx", ["--yes", `pnpm@${version}`, ...args]);
}

const turbo = (...args) => run(join(bin, "turbo"), ["run", ...args]);
// Files outside the packages (scripts, CI, root configs) are linted here; packages lint themselves.
const lintRoot = () =>
  run(join(bin, "biome"), ["ci", "scripts", ".ci", "package.json", "turbo.json", "biome.json"]);

const tasks = {
  install: () => {},
  build: () => turbo("build"),
  lint: () => {
    turbo("lint");
    lintRoot();
  },
  typecheck: () => turbo("typecheck"),
  // The README's test command: everything CI proves, in one go.
  test: () => {
    turbo("build", "lint", "typecheck", "test");
    lintRoot();
    run(process.execPath, [join(root, "scripts", "check-packs.mjs")]);
  },
  // `bench` depends on `build` in turbo.json; one benchmark at a time, for steadier numbers.
  bench: () => turbo("bench", "--concurrency=1", "--output-logs=full"),
  demo: () => {
    turbo("build", "--output-logs=errors-only");
    run(process.execPath, [join(root, "scripts", "demo.mjs"), ...process.argv.slice(3)]);
  },
};

const name = process.argv[2] ?? "";
const task = tasks[name];
if (!task) {
  console.error(`usage: node scripts/task.mjs <${Object.keys(tasks).join("|")}>`);
  process.exit(64);
}
bootstrap();
task();

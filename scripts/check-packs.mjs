#!/usr/bin/env node
// Proves every publishable workspace package works as a user gets it: `pnpm pack` holds only
// dist/, README.md, LICENSE and package.json; publint finds nothing; the tarballs install into
// a scratch project with npm; each package imports there with the same exports as in the
// workspace, its types resolve under NodeNext, and its bins run.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const bin = (name) => join(root, "node_modules", ".bin", name);
const ALLOWED = [
  /^package\/package\.json$/,
  /^package\/README\.md$/,
  /^package\/LICENSE$/,
  /^package\/dist\//,
  // The xnat2bids setup command and the Containerfile of its image.
  /^package\/setup\/(command\.json|Containerfile|README\.md)$/,
];
const REQUIRED = ["package/package.json", "package/README.md", "package/LICENSE"];

const failures = [];
const fail = (pkg, message) => failures.push(`${pkg}: ${message}`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (result.error) throw result.error;
  return result;
}

function workspacePackages() {
  return ["packages", "apps"].flatMap((group) => {
    const dir = join(root, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((name) => join(dir, name))
      .filter((path) => existsSync(join(path, "package.json")))
      .map((path) => ({
        path,
        manifest: JSON.parse(readFileSync(join(path, "package.json"), "utf8")),
      }))
      .filter(({ manifest }) => !manifest.private);
  });
}

const scratch = mkdtempSync(join(tmpdir(), "check-packs-"));
const tarballs = join(scratch, "tarballs");
mkdirSync(tarballs);
try {
  const packages = workspacePackages();
  for (const pkg of packages) {
    const name = pkg.manifest.name;
    const before = new Set(readdirSync(tarballs));
    const packed = run(bin("pnpm"), ["pack", "--pack-destination", tarballs], pkg.path);
    const tarball = readdirSync(tarballs).find((f) => !before.has(f));
    if (packed.status !== 0 || !tarball) {
      fail(name, `pnpm pack failed: ${packed.stderr || packed.stdout}`);
      continue;
    }
    pkg.tarball = join(tarballs, tarball);
    const entries = run("tar", ["-tzf", pkg.tarball]).stdout.trim().split("\n");
    for (const entry of entries) {
      if (!ALLOWED.some((re) => re.test(entry))) fail(name, `tarball holds ${entry}`);
    }
    for (const required of REQUIRED) {
      if (!entries.includes(required)) fail(name, `tarball lacks ${required}`);
    }
    const { messages } = await publint({ pkgDir: pkg.path, level: "suggestion", strict: true });
    for (const message of messages) {
      fail(
        name,
        `publint ${message.type}: ${formatMessage(message, pkg.manifest) ?? message.code}`,
      );
    }
  }

  // Install every tarball together, so workspace dependencies resolve to each other.
  const project = join(scratch, "project");
  mkdirSync(project);
  const dependencies = Object.fromEntries(
    packages.filter((p) => p.tarball).map((p) => [p.manifest.name, `file:${p.tarball}`]),
  );
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "scratch", private: true, type: "module", dependencies }, null, 2),
  );
  const install = run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"],
    project,
  );
  if (install.status !== 0)
    throw new Error(`npm install of the tarballs failed:\n${install.stderr}`);

  const typeImports = [];
  for (const pkg of packages.filter((p) => p.tarball)) {
    const name = pkg.manifest.name;
    if (pkg.manifest.exports?.["."]) {
      const probe = `import(${JSON.stringify(name)}).then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
      const imported = run(process.execPath, ["--input-type=module", "-e", probe], project);
      if (imported.status !== 0) {
        fail(name, `import failed: ${imported.stderr.trim()}`);
      } else {
        const local = await import(
          pathToFileURL(join(pkg.path, pkg.manifest.exports["."].import)).href
        );
        const expected = JSON.stringify(Object.keys(local).sort());
        if (imported.stdout.trim() !== expected)
          fail(
            name,
            `exports differ from the workspace build: ${imported.stdout.trim()} vs ${expected}`,
          );
      }
      typeImports.push(`export * as ${name.replace(/\W/g, "_")} from ${JSON.stringify(name)};`);
    }
    for (const command of Object.keys(pkg.manifest.bin ?? {})) {
      const shown = run(join(project, "node_modules", ".bin", command), ["--version"], project);
      if (shown.status !== 0 || shown.stdout.trim() !== pkg.manifest.version) {
        fail(
          name,
          `bin ${command} --version printed "${shown.stdout.trim()}" (exit ${shown.status}), expected ${pkg.manifest.version}`,
        );
      }
    }
  }

  // The published types must resolve for a strict NodeNext consumer.
  writeFileSync(join(project, "check.ts"), `${typeImports.join("\n")}\n`);
  const tsc = run(
    bin("tsc"),
    [
      "--noEmit",
      "--strict",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--typeRoots",
      join(root, "node_modules", "@types"),
      "--types",
      "node",
      "check.ts",
    ],
    project,
  );
  if (tsc.status !== 0) failures.push(`types: ${tsc.stdout.trim()}`);

  for (const pkg of packages)
    console.log(`checked ${pkg.manifest.name} (${relative(root, pkg.path)})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`check-packs: ${failure}`);
  process.exit(1);
}
console.log("check-packs: every package packs, lints, installs, imports and type-checks");

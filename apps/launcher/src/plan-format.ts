// The plan of a resolved command as text or JSON: what will run, with which files, and (with
// --explain) where every input's value came from. Secret values and the values of sensitive
// inputs are never printed.
import {
  MASK,
  maskSensitive,
  type ResolvedCommand,
  type ResolvedInput,
  resolvedCommandJson,
  sensitiveValues,
  type ValueOrigin,
} from "@xcs/resolver";

export function formatPlan(resolved: ResolvedCommand, options: { explain: boolean }): string {
  const lines: string[] = [];
  lines.push(
    `command ${resolved.commandName ?? "(no name)"} · wrapper ${resolved.wrapperName} · image ${resolved.image ?? "(none)"}`,
  );
  lines.push(`command line: ${resolved.commandLine}`);
  lines.push(
    `argv (${resolved.argv.entrypoint === "" ? "entrypoint cleared" : "image entrypoint kept"}): ${JSON.stringify(resolved.argv.cmd)}`,
  );
  if (resolved.safeArgv !== undefined)
    lines.push(`safe argv: ${JSON.stringify(resolved.safeArgv.cmd)}`);
  else
    lines.push(
      "safe argv: not available (an input key sits inside single quotes of a shell script)",
    );
  if (resolved.workingDirectory !== null)
    lines.push(`working directory: ${resolved.workingDirectory}`);
  section(lines, "environment", [
    ...Object.entries(resolved.environmentVariables).map(([name, value]) => `${name}=${value}`),
    ...resolved.secrets.map(
      (secret) =>
        `${secret.destinationIdentifier ?? "(no destination)"}=${MASK} (secret from ${secret.sourceType ?? "?"} ${secret.sourceIdentifier ?? "?"})`,
    ),
  ]);
  section(
    lines,
    "mounts",
    resolved.mounts.map((mount) => {
      const how =
        mount.hostPathKind === "archive"
          ? "archive folder"
          : mount.hostPathKind === "setup-build"
            ? `build folder filled by setup command ${mount.viaSetupCommand}`
            : mount.copied
              ? `build folder, copied from input ${mount.fromInput}`
              : "new build folder";
      const translated =
        mount.containerHostPath === mount.xnatHostPath
          ? ""
          : ` (engine sees ${mount.containerHostPath})`;
      return `${mount.name}: ${mount.containerPath} ${mount.writable ? "rw" : "ro"} <- ${mount.xnatHostPath}${translated} [${how}]`;
    }),
  );
  section(
    lines,
    "outputs",
    resolved.outputs.map((output) => {
      const where = `${output.mount ?? "?"}${output.path === null ? "" : `/${output.path}`}`;
      const label = output.label === null ? "" : ` "${output.label}"`;
      const wrapup =
        output.viaWrapupCommand === null ? "" : `, via wrap-up ${output.viaWrapupCommand}`;
      return `${output.name}: ${output.type}${label} into ${output.handledBy}, from ${where}${output.required ? "" : " (optional)"}${wrapup}`;
    }),
  );
  for (const [title, commands] of [
    ["setup commands", resolved.setupCommands],
    ["wrap-up commands", resolved.wrapupCommands],
  ] as const) {
    section(
      lines,
      title,
      commands.map(
        (command) =>
          `${command.commandName} (${command.image}) for ${command.parentSourceObjectName}: ${command.commandLine}; ${command.mounts.map((mount) => `${mount.containerPath} <- ${mount.xnatHostPath}`).join(", ")}`,
      ),
    );
  }
  if (options.explain) section(lines, "inputs", explainInputs(resolved.inputTree));
  // Setup commands, mount paths and explanations may hold a sensitive value too.
  return `${maskSensitive(lines.join("\n"), sensitiveValues(resolved))}\n`;
}

/** The `--json` document: XCS's ResolvedCommand JSON (and the explanation), masked. */
export function planJson(
  resolved: ResolvedCommand,
  options: { explain: boolean },
): Record<string, unknown> {
  const document: Record<string, unknown> = { plan: resolvedCommandJson(resolved) };
  if (options.explain) {
    document.explain = maskSensitive(explainInputs(resolved.inputTree), sensitiveValues(resolved));
  }
  return document;
}

function section(lines: string[], title: string, items: string[]): void {
  lines.push(`${title}:${items.length === 0 ? " none" : ""}`);
  for (const item of items) lines.push(`  ${item}`);
}

/** One line per input value, indented by tree depth. */
export function explainInputs(trees: readonly ResolvedInput[], depth = 0): string[] {
  const lines: string[] = [];
  for (const tree of trees) {
    const pad = "  ".repeat(depth);
    const head = `${pad}${tree.name} (${tree.kind}${tree.required ? ", required" : ""})`;
    if (tree.values.length === 0) lines.push(`${head}: no value`);
    for (const { value, children } of tree.values) {
      const shown = tree.sensitive
        ? MASK
        : value.value === null
          ? "null"
          : JSON.stringify(value.value);
      lines.push(`${head}: ${shown} <- ${origin(value.origin)}`);
      lines.push(...explainInputs(children, depth + 1));
    }
  }
  return lines;
}

function origin(from: ValueOrigin): string {
  switch (from.from) {
    case "default":
      return "default value";
    case "user":
      return "given value";
    case "none":
      return "no default and no given value";
    case "provider":
      return `provided by wrapper input ${from.input}`;
    case "derived":
      if (from.how === "property")
        return `property ${from.property} of ${from.parent} (${from.path})`;
      if (from.how === "parent") return `the object above ${from.parent}`;
      return `children of ${from.parent} matching ${from.path}: ${(from.matched ?? []).join(", ")}`;
  }
}

// Secrets (spec 3.10): values come from their sources, and no input value may name a secret's
// destination (a value "$MY_TOKEN" would otherwise print the secret).
import type { Secret } from "@xcs/command-schema";
import { ResolutionError } from "./errors.js";
import type { FlatInputValue, ResolvedSecret } from "./types.js";

export function resolveSecrets(
  secrets: readonly Secret[],
  systemProperties: Readonly<Record<string, string>>,
): ResolvedSecret[] {
  return secrets.map((secret) => {
    const sourceIdentifier = secret.source?.identifier ?? null;
    return {
      sourceType: secret.source?.type ?? null,
      sourceIdentifier,
      destinationType: secret.destination?.type ?? null,
      destinationIdentifier: secret.destination?.identifier ?? null,
      value:
        sourceIdentifier !== null && Object.hasOwn(systemProperties, sourceIdentifier)
          ? (systemProperties[sourceIdentifier] ?? null)
          : null,
    };
  });
}

export function checkSecretReferences(
  values: readonly FlatInputValue[],
  secrets: readonly ResolvedSecret[],
): void {
  const problems: string[] = [];
  for (const { name, value } of values) {
    for (const secret of secrets) {
      const id = secret.destinationIdentifier;
      if (id !== null && id !== "" && value.includes(id)) {
        problems.push(
          `Input "${name}" resolved value "${value}" refers to secret destination "${id}"`,
        );
      }
    }
  }
  if (problems.length > 0) throw new ResolutionError(problems.join(" | "));
}

// Who and where: the `User:` line (`user@fqdn`, as the original writes it) and the host facts
// of the extended record.
import { lookup, lookupService } from "node:dns/promises";
import { arch, cpus, hostname, platform, release, totalmem, userInfo } from "node:os";
import { basename } from "node:path";

/** `USER`, else the last part of `HOME`, else the account name. */
export function userName(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.USER) return env.USER;
  if (env.HOME) return basename(env.HOME);
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    promise.catch(() => undefined),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms).unref()),
  ]);
}

/**
 * The fully qualified host name, like Python's `socket.getfqdn()`: the host's address looked
 * up back to a name containing a dot, else the plain host name.
 */
export async function fullyQualifiedHostName(): Promise<string> {
  const name = hostname();
  const address = await withTimeout(lookup(name), 2000);
  if (!address) return name;
  const service = await withTimeout(lookupService(address.address, 0), 2000);
  return service?.hostname?.includes(".") ? service.hostname : name;
}

/** Facts about the machine a record was made on. */
export function hostFacts(software: string): Record<string, string> {
  const cpu = cpus();
  return {
    name: hostname(),
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: `${cpu.length} x ${cpu[0]?.model.trim() ?? "unknown"}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    runtime: `node ${process.versions.node}`,
    software,
  };
}

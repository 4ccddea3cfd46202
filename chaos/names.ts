// The naming rule for what mailstorm puts on a Toxiproxy: every toxic a timeline adds is sent
// as `mailstorm-<timeline name>`, so one a killed run (SIGKILL, OOM, lost machine) left behind
// can be told apart from other users' toxics and cleaned up (`mailstorm chaos clean`).
// Timelines, events and reports keep the name the scenario wrote; only the API sees the prefix.
// Proxies are not renamed: mailstorm creates proxies only on a Toxiproxy it starts itself
// (embedded, docker), which goes away with the run.

export const TOXIC_PREFIX = 'mailstorm-';

/** The name the Toxiproxy API sees for a toxic a timeline names `name`. */
export function toxiproxyToxicName(name: string): string {
  return `${TOXIC_PREFIX}${name}`;
}

/** Whether a toxic found on a Toxiproxy is one mailstorm added. */
export function isMailstormToxic(toxiproxyName: string): boolean {
  return toxiproxyName.startsWith(TOXIC_PREFIX) && toxiproxyName.length > TOXIC_PREFIX.length;
}


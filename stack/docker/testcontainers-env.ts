// testcontainers reads two settings from the environment that decide whether it works on a
// machine without registry access. Set here (only when the user has not set them) before
// testcontainers is first loaded, because it reads them once per process.
//
// - TESTCONTAINERS_RYUK_DISABLED=true: Ryuk (testcontainers/ryuk) is a container image that
//   removes leftovers when the test process dies. It cannot be pulled offline; mailstorm does
//   that cleanup itself (labels + stop/exit hooks + `mailstorm stack clean`).
// - TESTCONTAINERS_HOST_OVERRIDE=localhost: without it testcontainers starts an alpine
//   container to find the docker host's address, which also needs a pull.

const DEFAULTS = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
} as const;

/** Fills in the defaults missing from `env`; returns the names it set. */
export function applyTestcontainersDefaults(env: NodeJS.ProcessEnv = process.env): string[] {
  const set: string[] = [];
  for (const [name, value] of Object.entries(DEFAULTS)) {
    if (env[name] === undefined) {
      env[name] = value;
      set.push(name);
    }
  }
  return set;
}

/** Loads testcontainers with the defaults applied; a missing package is a clear error. */
export async function loadTestcontainers(): Promise<typeof import('testcontainers')> {
  applyTestcontainersDefaults();
  return import('testcontainers');
}

// toxiproxy-node-client reports HTTP failures only as "Request failed with status code N".

export function isNotFound(error: unknown): boolean {
  return error instanceof Error && /status code 404\b/.test(error.message);
}

export function isConflict(error: unknown): boolean {
  return error instanceof Error && /status code 409\b/.test(error.message);
}

// Snapshots must be plain JSON (a case keeps its rules for life, through Temporal payloads and
// PostgreSQL) and must not change under it: copy through JSON, then freeze.

export function plainCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

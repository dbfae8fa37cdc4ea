export const TEMPORAL_CLI_MODULE: string;
export const TEMPORAL_CLI_VERSION: string;
export function temporalCacheDir(): string;
export function temporalBinary(): string;
export function ensureTemporalCli(opts?: { log?: (line: string) => void }): string;

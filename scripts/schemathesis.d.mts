export function schemathesisVersion(): string;
export function schemathesisCacheDir(): string;
export function ensureSchemathesis(opts?: { log?: (line: string) => void }): string;
export function schemathesisCommand(args: string[]): { python: string; args: string[] };

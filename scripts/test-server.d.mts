export const TEST_SERVER_GROUP: string;
export const TEST_SERVER_ARTIFACT: string;
export const TEST_SERVER_VERSION: string;
export const TEST_SERVER_MAIN_CLASS: string;
export function testServerCacheDir(): string;
export function testServerClasspathFile(): string;
export function ensureTestServer(opts?: { log?: (line: string) => void }): string[];
export function testServerCommand(port: number, opts?: { jvmArgs?: string[] }): { java: string; args: string[] };

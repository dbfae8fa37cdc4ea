/** The path of a Chromium binary (CHROMIUM_PATH, else the usual places), or null when none is installed. */
export function findChromium(): string | null;

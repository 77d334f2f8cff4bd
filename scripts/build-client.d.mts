export const CLIENT_DIR: string;
export const ASSETS_DIR: string;
export function clientEntries(): string[];
export function buildClient(opts?: { minify?: boolean; quiet?: boolean }): Promise<Record<string, string>>;

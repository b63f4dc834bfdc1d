// Types for browsers.mjs, which the test runner config (plain JavaScript) and the TypeScript tests share.
export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[];
export function selectedEngines(): Engine[];
export function firefoxPath(): string;
export function webkitDriverPath(): string;
export function miniBrowserPath(): string;
export function xvfbPath(): string;
export function missingPackages(engines: readonly Engine[]): string[];
export function firefoxLaunchOptions(): {
  browser: 'firefox';
  protocol: 'webDriverBiDi';
  executablePath: string;
  headless: boolean;
  extraPrefsFirefox: Record<string, unknown>;
};
export function startWebKitDriver(): Promise<{
  port: number;
  stop(): void;
  capabilities: Record<string, unknown>;
}>;

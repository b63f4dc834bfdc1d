/** Time as the data layer sees it: passed in, so tests move it by hand. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

// Longest delay setTimeout honours (2^31 - 1 ms); longer ones would fire at once.
const MAX_DELAY = 0x7fffffff;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, Math.min(Math.max(ms, 0), MAX_DELAY)),
  clearTimeout: (id) => clearTimeout(id as number),
};

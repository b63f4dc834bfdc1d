// What the shopper reads, in plain words, and where each problem is shown.
import type {CheckoutProblem, DeliveryChoice} from '../../api/checkout.js';
import {MAX_LINES, MAX_OTHER_LINES, MAX_PRIME_LINES, type ErrorCode} from '../../api/protocol.js';

/** What the shopper is told, in plain words, for each error code. */
const MESSAGES: Record<ErrorCode, string> = {
  invalid_address:
    'We could not use this shipping address. Check the street, city, state and ZIP code, then try again.',
  unsupported_destination:
    'Buy with Prime does not deliver to this address. Choose an address in the 50 United States.',
  not_found: 'This item is not available with Buy with Prime.',
  not_eligible: 'This item is not available in this quantity for delivery to this address.',
  shopper_token_expired: 'Your Amazon sign-in has expired. Sign in again to see your delivery options.',
  rate_limited: 'Too many requests right now. Delivery options will be back in a moment.',
  unavailable: 'Delivery options are unavailable right now. Please try again.',
  invalid_request: 'Delivery options could not be loaded for this cart.',
};

/** Item problems: shown on their line when the API names it; everything else goes to the top. */
const LINE_CODES: readonly ErrorCode[] = ['not_found', 'not_eligible', 'invalid_request'];

export const LOADING = 'Checking delivery options…';

/** More lines than one order holds. */
export const LIMIT_MESSAGE = `A Buy with Prime order holds at most ${MAX_LINES} items (${MAX_PRIME_LINES} with Prime delivery and ${MAX_OTHER_LINES} without). Remove some items to see delivery options.`;

/** More Prime (or other) lines than one order holds, known once the offers say which lines are Prime. */
export const SPLIT_MESSAGE = `A Buy with Prime order holds at most ${MAX_PRIME_LINES} items with Prime delivery and ${MAX_OTHER_LINES} without. Remove some items to see delivery options.`;

/** Why the offers are not shown, in the shopper's words. */
export interface Failure {
  code: ErrorCode;
  /** The first problem's reason (the proxy's, or the request error's), for the diagnostics. */
  reason?: string;
  /** Messages for the top of the element (address, sign-in, whole-cart problems). */
  top: string[];
  /** Messages for single lines, by line index. */
  lines: Map<number, string>;
}

/**
 * Where each problem is shown: address and sign-in at the top, item problems on their line when
 * known. `toLine` maps the API's line index to the cart line (the preview asks for Prime lines only).
 */
export function describe(
  problems: readonly CheckoutProblem[],
  lineCount = 0,
  toLine: (index: number) => number | null = (i) => i,
): Failure {
  const failure: Failure = {code: problems[0]!.code, reason: problems[0]!.reason, top: [], lines: new Map()};
  for (const {code, lineIndex} of problems) {
    const line = lineIndex === null ? null : toLine(lineIndex);
    const message = MESSAGES[code];
    if (LINE_CODES.includes(code) && line !== null && line < lineCount) {
      failure.lines.set(line, message);
    } else if (!failure.top.includes(message)) {
      failure.top.push(message);
    }
  }
  return failure;
}

/** Tells the shopper their choice is gone, and what is selected now (Amazon's promises, verbatim). */
export const lostNotice = (before: DeliveryChoice, next: DeliveryChoice, expired: boolean) =>
  `${expired ? 'Your delivery option expired' : 'Your delivery option is no longer available'}` +
  `${before.message ? ` (${before.message})` : ''}. We selected ${next.message ?? 'the first available option'} instead.`;

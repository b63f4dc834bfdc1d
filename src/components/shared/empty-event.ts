// The product elements' own event, apart from events.ts so the checkout bundle does not carry it.
import type {EmptyReason} from '../../api/diagnostics.js';

/** Amazon answered and there is nothing Prime to show; `detail.reason` says why (not Prime, out of stock, …). */
export class BwpEmptyEvent extends CustomEvent<{reason: EmptyReason}> {
  constructor(reason: EmptyReason) {
    super('bwp-empty', {detail: {reason}, bubbles: true, composed: true});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-empty': BwpEmptyEvent;
  }
}

import type {ErrorReason} from '../../api/diagnostics.js';
import type {ErrorCode} from '../../api/types.js';

/** Offers arrived and are shown; `detail` is the view model. */
export class BwpLoadEvent<T = unknown> extends CustomEvent<T> {
  constructor(detail: T) {
    super('bwp-load', {detail, bubbles: true, composed: true});
  }
}

/**
 * Offers could not be shown; `detail.code` is from the closed set; the product elements add
 * `detail.reason` (their diagnostics reason).
 */
export class BwpErrorEvent extends CustomEvent<{code: ErrorCode; reason?: ErrorReason}> {
  constructor(code: ErrorCode) {
    super('bwp-error', {detail: {code}, bubbles: true, composed: true});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-load': BwpLoadEvent;
    'bwp-error': BwpErrorEvent;
  }
}

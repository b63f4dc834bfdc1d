import type {EmptyReason, ErrorReason} from '../../api/diagnostics.js';
import type {ErrorCode} from '../../api/types.js';

/** Offers arrived and are shown; `detail` is the view model. */
export class BwpLoadEvent<T = unknown> extends CustomEvent<T> {
  constructor(detail: T) {
    super('bwp-load', {detail, bubbles: true, composed: true});
  }
}

/** Offers could not be shown; `detail.code` is from the closed set, `detail.reason` (product elements) says why. */
export class BwpErrorEvent extends CustomEvent<{code: ErrorCode; reason?: ErrorReason}> {
  constructor(code: ErrorCode, reason?: ErrorReason) {
    super('bwp-error', {detail: reason ? {code, reason} : {code}, bubbles: true, composed: true});
  }
}

/** Amazon answered and there is nothing Prime to show; `detail.reason` says why (not Prime, out of stock, …). */
export class BwpEmptyEvent extends CustomEvent<{reason: EmptyReason}> {
  constructor(reason: EmptyReason) {
    super('bwp-empty', {detail: {reason}, bubbles: true, composed: true});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-load': BwpLoadEvent;
    'bwp-error': BwpErrorEvent;
    'bwp-empty': BwpEmptyEvent;
  }
}

import type {ErrorCode} from '../../api/protocol.js';

/** Offers arrived and are shown; `detail` is the view model. */
export class BwpLoadEvent<T = unknown> extends CustomEvent<T> {
  constructor(detail: T) {
    super('bwp-load', {detail, bubbles: true, composed: true});
  }
}

/** Offers could not be shown; `detail.code` is from the closed set. */
export class BwpErrorEvent extends CustomEvent<{code: ErrorCode}> {
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

import type {ErrorReason} from '../../api/diagnostics.js';
import type {ErrorCode} from '../../api/protocol.js';

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

/** Fires `event` after the host's next render, so listeners see what it announces; a listener's own exception stays the page's. */
export const dispatchAfterUpdate = (host: HTMLElement & {updateComplete: Promise<unknown>}, event: Event) =>
  void host.updateComplete.then(
    () => host.dispatchEvent(event),
    () => {},
  );

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-load': BwpLoadEvent;
    'bwp-error': BwpErrorEvent;
  }
}

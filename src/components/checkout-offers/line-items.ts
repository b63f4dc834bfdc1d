import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {CheckoutLineInput} from '../../api/checkout.js';

const LINE_ITEM_ATTRIBUTES = ['sku', 'product-id', 'quantity'];

/**
 * Reads the cart lines: the host's `lineItems` property when it is set, else its `<bwp-line-item>`
 * children, which it watches (added, removed, or an attribute changed) while the host is connected.
 */
export class LineItemsController implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #observer: MutationObserver;

  constructor(host: ReactiveControllerHost & Element, onChange: () => void) {
    this.#host = host;
    this.#observer = new MutationObserver(onChange);
    host.addController(this);
  }

  hostConnected() {
    this.#observer.observe(this.#host, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: LINE_ITEM_ATTRIBUTES,
    });
  }

  hostDisconnected() {
    this.#observer.disconnect();
  }

  /** The lines to ask for; a missing quantity counts as 1, anything else is kept for the check to refuse. */
  read(lineItems: readonly CheckoutLineInput[] | undefined): CheckoutLineInput[] {
    const items: ReadonlyArray<Partial<Record<keyof CheckoutLineInput, unknown>> | null> = Array.isArray(
      lineItems,
    )
      ? lineItems
      : [...this.#host.querySelectorAll('bwp-line-item')].map((el) => ({
          sku: el.getAttribute('sku'),
          productId: el.getAttribute('product-id'),
          // A blank attribute is no quantity.
          quantity: el.getAttribute('quantity')?.trim() || null,
        }));
    return items.map((item) => ({
      ...(item?.sku ? {sku: String(item.sku)} : {}),
      ...(item?.productId ? {productId: String(item.productId)} : {}),
      quantity: Number(item?.quantity ?? 1),
    }));
  }
}

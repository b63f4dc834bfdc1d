import {html, LitElement, nothing, type PropertyDeclarations, type PropertyValues} from 'lit';
import {
  buildCheckoutView,
  checkoutOffersVariables,
  deliveryPreviewVariables,
  lineChoice,
  lineInputProblem,
  MAX_LINES,
  MAX_OTHER_LINES,
  MAX_PRIME_LINES,
  normalizeCheckoutOffers,
  normalizeDeliveryPreview,
  responseProblems,
  sameChoice,
  selectionOf,
  type CheckoutLineInput,
  type CheckoutProblem,
  type CheckoutSelection,
  type CheckoutView,
  type DeliveryChoice,
  type Money,
  type ShippingAddress,
} from '../../api/checkout.js';
import {proxyFor, type ProxyClient} from '../../api/client.js';
import {systemClock, type Clock} from '../../api/clock.js';
import {CHECKOUT_OFFERS, DELIVERY_PREVIEW} from '../../api/documents.js';
import {RevisitController} from '../../api/revisit.js';
import {shopperIdentity} from '../../api/identity.js';
import {BwpRequestError, type ErrorCode} from '../../api/types.js';
import {BwpErrorEvent, BwpLoadEvent} from '../shared/events.js';
import {primeBadge} from '../shared/prime-badge.js';
import {styles} from './checkout-offers.styles.js';

/** The shopper's delivery selection changed; `detail` is the new selection, or null when there is none. */
export class BwpChangeEvent extends CustomEvent<CheckoutSelection | null> {
  constructor(selection: CheckoutSelection | null) {
    super('bwp-change', {detail: selection, bubbles: true, composed: true});
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'bwp-change': BwpChangeEvent;
  }
}

/** The reflected `state` of the checkout element. */
export type CheckoutState = 'loading' | 'ready' | 'empty' | 'error';

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

const LIMIT_MESSAGE = `A Buy with Prime order holds at most ${MAX_LINES} items (${MAX_PRIME_LINES} with Prime delivery and ${MAX_OTHER_LINES} without). Remove some items to see delivery options.`;
const SPLIT_MESSAGE = `A Buy with Prime order holds at most ${MAX_PRIME_LINES} items with Prime delivery and ${MAX_OTHER_LINES} without. Remove some items to see delivery options.`;

interface Failure {
  code: ErrorCode;
  /** Messages for the top of the element (address, sign-in, whole-cart problems). */
  top: string[];
  /** Messages for single lines, by line index. */
  lines: Map<number, string>;
}

/** Why a refetch happens: an input changed, or a selected offer expired. */
type Reason = 'input' | 'expiry';

/** Tells the shopper their choice is gone, and what is selected now (Amazon's promises, verbatim). */
const lostNotice = (before: DeliveryChoice, next: DeliveryChoice, reason: Reason) =>
  `${reason === 'expiry' ? 'Your delivery option expired' : 'Your delivery option is no longer available'}` +
  `${before.message ? ` (${before.message})` : ''}. We selected ${next.message ?? 'the first available option'} instead.`;

const LINE_ITEM_ATTRIBUTES = ['sku', 'product-id', 'quantity'];

/**
 * Lists every cart line with its Buy with Prime delivery offer and returns, lets the shopper choose between
 * delivery offers, and hands the merchant the ids the order needs.
 *
 * @slot - Nothing: line items are given by `<bwp-line-item>` children (data only) or `lineItems`.
 * @csspart line-item - One cart line.
 * @csspart badge - The Prime badge of a Prime line (brand mark: not restylable beyond its size).
 * @csspart delivery - The line's delivery promise, Amazon's text unchanged.
 * @csspart returns - The line's return policy.
 * @csspart option - One selectable delivery offer (a label holding a native radio button).
 * @cssproperty --bwp-checkout-offers-gap - Space between lines.
 * @cssproperty --bwp-checkout-offers-color - Text colour.
 * @cssproperty --bwp-checkout-offers-font - Font.
 * @cssproperty --bwp-checkout-offers-border-color - Line and option borders.
 * @cssproperty --bwp-checkout-offers-accent-color - The chosen option's border and radio.
 * @cssproperty --bwp-checkout-offers-error-color - Error text.
 * @cssproperty --bwp-checkout-offers-radius - Corner radius of options.
 * @fires bwp-load - Offers arrived and are shown; detail is the checkout view.
 * @fires bwp-error - Offers could not be shown; detail.code says why (the shopper sees it in plain words).
 * @fires bwp-change - The selection was made or changed; detail is the selection (or null when none).
 */
export class BwpCheckoutOffers extends LitElement {
  static override styles = styles;
  static override properties: PropertyDeclarations = {
    lineItems: {attribute: false},
    shippingAddress: {attribute: false},
    endpoint: {},
    state: {reflect: true},
    client: {attribute: false},
    clock: {attribute: false},
    debounce: {attribute: false},
  };

  /** The cart lines; when unset, the `<bwp-line-item>` children are used. */
  declare lineItems?: CheckoutLineInput[];

  /** Where the order goes; nothing is fetched without it. */
  declare shippingAddress?: ShippingAddress;

  /** URL of the merchant's proxy; defaults to `<meta name="bwp-endpoint">`, else /bwp/graphql. */
  endpoint = '';

  /** Read-only: loading, ready (offers shown), empty (nothing to show) or error. */
  state: 'loading' | 'ready' | 'empty' | 'error' = 'loading';

  /** A proxy client to use instead of the page's shared one (tests, custom transports). */
  declare client?: ProxyClient;

  /** The clock for the input debounce and offer expiry (tests move it by hand); the system clock by default. */
  declare clock?: Clock;

  /** How long inputs must stay unchanged before one refetch, in ms. */
  debounce = 150;

  // What is drawn: changed only together, followed by one requestUpdate.
  #view: CheckoutView | null = null;
  #inputs: CheckoutLineInput[] = [];
  #chosen: DeliveryChoice[] = [];
  #failure: Failure | null = null;
  #notice = '';

  #current: CheckoutSelection | null = null;
  #address: ShippingAddress | null = null;
  #controller?: AbortController;
  #debounceTimer?: unknown;
  #observer = new MutationObserver(() => this.#schedule());
  // Offers do not persist: back/forward cache, a tab shown again after a minute, or the selected offer's
  // expiresAt passing all fetch fresh ones.
  #revisit = new RevisitController(
    this,
    (reason) => this.#schedule(reason === 'expired' ? 'expiry' : 'input'),
    () => this.#time,
    () => 60_000,
  );

  get #time(): Clock {
    return this.clock ?? systemClock;
  }

  /** What the order needs: the offer id, and per line the delivery ids; null unless state is ready. */
  get selection(): CheckoutSelection | null {
    return this.state === 'ready' ? this.#current : null;
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#observer.observe(this, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: LINE_ITEM_ATTRIBUTES,
    });
    shopperIdentity.addEventListener('change', this.#handleShopperChange);
    this.#schedule();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#observer.disconnect();
    shopperIdentity.removeEventListener('change', this.#handleShopperChange);
    this.#time.clearTimeout(this.#debounceTimer);
    this.#controller?.abort();
  }

  protected override updated(changed: PropertyValues<this>) {
    if (
      changed.has('lineItems') ||
      changed.has('shippingAddress') ||
      changed.has('endpoint') ||
      changed.has('client')
    )
      this.#schedule();
  }

  protected override render() {
    if (this.state === 'empty') return nothing;
    if (!this.#view && !this.#failure) {
      return html`<p class="notice" role="status">Checking delivery options…</p>`;
    }
    const top = this.#failure?.top ?? [];
    return html`
      <p class="notice" role="status">${this.#notice}</p>
      <div class="top error" role="alert">${top.map((message) => html`<p>${message}</p>`)}</div>
      ${
        this.#failure && !this.#view && this.#failure.lines.size === 0
          ? nothing
          : html`<ul class="lines">
              ${this.#inputs.map((input, index) => this.#renderLine(input, index))}
            </ul>`
      }
    `;
  }

  #renderLine(input: CheckoutLineInput, index: number) {
    const view = this.#view;
    const line = view?.lines[index];
    const delivery = view ? lineChoice(view, this.#chosen, index) : null;
    const error = this.#failure?.lines.get(index);
    const group = view?.lineGroups[index];
    const groupView = group !== null && group !== undefined ? view!.groups[group] : undefined;
    const showOptions = groupView && groupView.offers.length > 1 && groupView.lineIndexes[0] === index;
    return html`<li part="line-item" class="line">
      <p class="title">
        ${line?.title ?? input.sku ?? input.productId}
        <span class="quantity">· Qty ${input.quantity}</span>
      </p>
      ${error ? html`<p class="error">${error}</p>` : nothing}
      ${
        delivery?.message
          ? html`<p class="delivery">
              ${delivery.prime ? primeBadge() : nothing}<span part="delivery">${delivery.message}</span>
              ${delivery.price ? html`<span class="price">${this.#formatPrice(delivery.price)}</span>` : nothing}
            </p>`
          : nothing
      }
      ${showOptions ? this.#renderChoices(group!) : nothing}
      ${line?.returns ? html`<p part="returns">${line.returns.title}</p>` : nothing}
    </li>`;
  }

  #renderChoices(group: number) {
    const view = this.#view!;
    const offers = view.groups[group]!.offers;
    const titles = view.groups[group]!.lineIndexes.map((i) => view.lines[i]?.title ?? this.#inputs[i]?.sku);
    const labelId = `options-${group}`;
    return html`<div
      class="options"
      role="radiogroup"
      aria-labelledby=${labelId}
      @keydown=${this.#noteInput}
      @pointerdown=${this.#noteInput}
    >
      <p class="options-label" id=${labelId}>Delivery options for ${titles.join(', ')}</p>
      ${offers.map(
        (offer, k) =>
          html`<label part="option" class="option">
            <input
              type="radio"
              name=${`delivery-${group}`}
              .checked=${offer === this.#chosen[group]}
              @change=${() => this.#handleChoose(group, k)}
            />
            <span class="promise">${offer.message}</span>
            ${offer.price ? html`<span class="price">${this.#formatPrice(offer.price)}</span>` : nothing}
          </label>`,
      )}
    </div>`;
  }

  // WebKit does not match :focus-visible on a radio reached with the arrow keys, which would leave keyboard
  // users without a focus indicator (WCAG 2.4.7): the group notes whether the keyboard or the pointer moved in
  // it last, and the styles outline its focused option after the keyboard too.
  #noteInput = (event: Event) =>
    (event.currentTarget as HTMLElement).toggleAttribute('data-keyboard', event.type === 'keydown');

  #formatPrice(price: Money): string {
    if (price.amount === 0) return 'FREE';
    const lang = this.closest('[lang]')?.getAttribute('lang') || undefined;
    try {
      return new Intl.NumberFormat(lang, {style: 'currency', currency: price.currencyCode}).format(
        price.amount,
      );
    } catch {
      return `${price.amount} ${price.currencyCode}`;
    }
  }

  /** The lines to ask for: the lineItems property, else the `<bwp-line-item>` children. */
  #readLines(): CheckoutLineInput[] {
    if (Array.isArray(this.lineItems)) {
      return this.lineItems.map((item) => ({
        ...(item?.sku ? {sku: String(item.sku)} : {}),
        ...(item?.productId ? {productId: String(item.productId)} : {}),
        quantity: item?.quantity === undefined || item?.quantity === null ? 1 : Number(item.quantity),
      }));
    }
    return [...this.querySelectorAll('bwp-line-item')].map((el) => {
      const sku = el.getAttribute('sku');
      const productId = el.getAttribute('product-id');
      const quantity = el.getAttribute('quantity');
      return {
        ...(sku ? {sku} : {}),
        ...(productId ? {productId} : {}),
        quantity: quantity === null || quantity.trim() === '' ? 1 : Number(quantity),
      };
    });
  }

  /** One refetch after the inputs settle. */
  #schedule(reason: Reason = 'input') {
    if (!this.isConnected) return;
    this.#time.clearTimeout(this.#debounceTimer);
    this.#debounceTimer = this.#time.setTimeout(() => void this.#refresh(reason), this.debounce);
  }

  async #refresh(reason: Reason) {
    this.#controller?.abort();
    this.#revisit.expireAt(null);
    const controller = (this.#controller = new AbortController());
    const {signal} = controller;
    try {
      const inputs = this.#readLines();
      const address = this.shippingAddress ?? null;
      if (inputs.length === 0 || !address) {
        this.#inputs = inputs;
        this.#view = null;
        this.#failure = null;
        this.#notice = '';
        this.#setState('empty');
        return;
      }
      if (inputs.length > MAX_LINES) {
        return this.#fail({code: 'invalid_request', top: [LIMIT_MESSAGE], lines: new Map()}, inputs);
      }
      const invalid = new Map<number, string>();
      inputs.forEach((input, i) => {
        const problem = lineInputProblem(input);
        if (problem) invalid.set(i, problem);
      });
      if (invalid.size) return this.#fail({code: 'invalid_request', top: [], lines: invalid}, inputs);

      this.#setState('loading');
      const client = proxyFor(this);
      const response = await client.request(
        CHECKOUT_OFFERS,
        checkoutOffersVariables(inputs, address),
        signal,
      );
      const offerProblems = responseProblems(response);
      if (offerProblems.length) {
        return this.#fail(this.#describe(offerProblems, inputs.length), inputs);
      }
      const offers = normalizeCheckoutOffers(response);
      if (!offers || offers.lines.length !== inputs.length) {
        return this.#fail(this.#describe([{code: 'unavailable', lineIndex: null}]), inputs);
      }
      const primeLines = offers.lines.flatMap((line, i) => (line.delivery?.prime ? [i] : []));
      if (primeLines.length > MAX_PRIME_LINES || inputs.length - primeLines.length > MAX_OTHER_LINES) {
        return this.#fail({code: 'invalid_request', top: [SPLIT_MESSAGE], lines: new Map()}, inputs);
      }
      let preview = null;
      // Several delivery offers per group (and their expiry) exist for a signed-in shopper at a full address.
      if (primeLines.length && shopperIdentity.token) {
        const previewResponse = await client.request(
          DELIVERY_PREVIEW,
          deliveryPreviewVariables(
            primeLines.map((i) => inputs[i]!),
            address,
          ),
          signal,
        );
        const previewProblems = responseProblems(previewResponse);
        if (previewProblems.length) {
          return this.#fail(
            this.#describe(previewProblems, inputs.length, (i) => primeLines[i] ?? null),
            inputs,
            buildCheckoutView(inputs, offers, null),
          );
        }
        preview = normalizeDeliveryPreview(previewResponse);
      }
      this.#show(buildCheckoutView(inputs, offers, preview, primeLines), inputs, address, reason);
    } catch (error) {
      if (signal.aborted) return;
      const code = error instanceof BwpRequestError ? error.code : 'unavailable';
      this.#fail(this.#describe([{code, lineIndex: null}]), this.#readLines());
    }
  }

  /** Where each problem is shown: address and sign-in at the top, item problems on their line when known. */
  #describe(
    problems: CheckoutProblem[],
    lineCount = 0,
    toLine: (index: number) => number | null = (i) => i,
  ): Failure {
    const failure: Failure = {code: problems[0]!.code, top: [], lines: new Map()};
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

  #show(view: CheckoutView, inputs: CheckoutLineInput[], address: ShippingAddress, reason: Reason) {
    const previous = this.#view;
    const previousInputs = this.#inputs;
    const key = (line: CheckoutLineInput | undefined) => line?.sku ?? line?.productId;
    const notices: string[] = [];
    const chosen = view.groups.map((group) => {
      // The shopper's earlier choice for this group's first line, if it is still on offer.
      const before = previous
        ? this.#chosenFor(previous, previousInputs, key(inputs[group.lineIndexes[0]!]))
        : null;
      const kept = before ? group.offers.find((offer) => sameChoice(offer, before)) : undefined;
      const next = kept ?? group.offers[0]!;
      if (before && !kept) notices.push(lostNotice(before, next, reason));
      return next;
    });
    this.#notice = notices.join(' ');
    this.#inputs = inputs;
    this.#view = view;
    this.#chosen = chosen;
    this.#failure = null;
    this.#address = address;
    this.#setState('ready');
    this.#publish(selectionOf(inputs, view, chosen, address));
    void this.updateComplete.then(() => this.dispatchEvent(new BwpLoadEvent(view)));
    this.#scheduleExpiry();
  }

  /** The choice a line had in an earlier view (group choice, or its own offer). */
  #chosenFor(view: CheckoutView, inputs: CheckoutLineInput[], key: string | undefined) {
    const index = inputs.findIndex((line) => (line.sku ?? line.productId) === key);
    if (index < 0) return null;
    const group = view.lineGroups[index];
    return group === null || group === undefined ? null : (this.#chosen[group] ?? null);
  }

  #fail(failure: Failure, inputs: CheckoutLineInput[], view: CheckoutView | null = null) {
    this.#revisit.expireAt(null);
    this.#inputs = inputs;
    this.#view = view;
    this.#chosen = view ? view.groups.map((g) => g.offers[0]!) : [];
    this.#failure = failure;
    this.#notice = '';
    this.#setState('error');
    this.#publish(null);
    void this.updateComplete.then(() => this.dispatchEvent(new BwpErrorEvent(failure.code)));
  }

  /** Fires bwp-change when the selection differs from the last one published. */
  #publish(selection: CheckoutSelection | null) {
    if (JSON.stringify(selection) === JSON.stringify(this.#current)) return;
    this.#current = selection;
    void this.updateComplete.then(() => this.dispatchEvent(new BwpChangeEvent(selection)));
  }

  /** Refetch when the offer or the first selected delivery offer expires. */
  #scheduleExpiry() {
    const view = this.#view;
    if (!view) return;
    const expiries = this.#inputs
      .map((_, i) => lineChoice(view, this.#chosen, i)?.expiresAt ?? null)
      .concat(view.expiresAt ?? [])
      .filter((t): t is number => t !== null);
    this.#revisit.expireAt(expiries.length ? Math.min(...expiries) : null);
  }

  #setState(next: CheckoutState) {
    this.state = next;
    this.requestUpdate();
  }

  #handleChoose(group: number, offer: number) {
    const view = this.#view;
    const choice = view?.groups[group]?.offers[offer];
    if (!view || !choice || !this.#address) return;
    this.#chosen = this.#chosen.map((c, i) => (i === group ? choice : c));
    this.#notice = '';
    this.requestUpdate();
    this.#publish(selectionOf(this.#inputs, view, this.#chosen, this.#address));
    this.#scheduleExpiry();
  }

  #handleShopperChange = () => this.#schedule();
}

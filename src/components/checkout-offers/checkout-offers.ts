import {html, LitElement, nothing, type PropertyDeclarations, type PropertyValues} from 'lit';
import {
  lineChoice,
  selectionOf,
  type CheckoutLineInput,
  type CheckoutView,
  type DeliveryChoice,
} from '../../api/checkout.js';
import type {CheckoutSelection, ShippingAddress} from '../../api/protocol.js';
import {proxyFor, type ProxyClient} from '../../api/client.js';
import {systemClock, type Clock} from '../../api/clock.js';
import {QueryController} from '../../api/query.js';
import {answerReason, diagnose, failureReason, type Diagnostics} from '../../api/diagnostics.js';
import {explain} from '../shared/debug.js';
import {BwpErrorEvent, BwpLoadEvent, dispatchAfterUpdate} from '../shared/events.js';
import {primeBadge} from '../shared/prime-badge.js';
import {stateOf, type ElementState} from '../shared/state.js';
import {carryChoices, soonestExpiry, type Chosen} from './choices.js';
import {styles} from './checkout-offers.styles.js';
import {describe, LOADING, type Failure} from './copy.js';
import {formatPrice} from './format.js';
import {LineItemsController} from './line-items.js';
import {failed, loadCheckout, refuse, type Outcome} from './load.js';

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

/** Properties whose every new value asks again. */
const INPUTS = ['lineItems', 'shippingAddress', 'endpoint', 'client'] as const;

/** The reflected `state` of the checkout element. */
export type CheckoutState = ElementState;

/** What is on screen, changed only as a whole: the last outcome with the shopper's choices. */
interface Shown extends Chosen {
  inputs: CheckoutLineInput[];
  /** The address the offers were made for; null on a failure (nothing can be chosen then). */
  address: ShippingAddress | null;
  chosen: DeliveryChoice[];
  failure: Failure | null;
  notice: string;
}

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
 * @attr debug - Write each change of `diagnostics` to the console (also `<meta name="bwp-debug" content="on">`).
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
  state: CheckoutState = 'loading';

  /** A proxy client to use instead of the page's shared one (tests, custom transports). */
  declare client?: ProxyClient;

  /** The clock for the input debounce and offer expiry (tests move it by hand); the system clock by default. */
  declare clock?: Clock;

  /** How long inputs must stay unchanged before one refetch, in ms. */
  debounce = 150;

  #shown: Shown | null = null;
  /** The selection last announced by bwp-change. */
  #current: CheckoutSelection | null = null;

  readonly #lineItems = new LineItemsController(this, () => this.#query.refresh());

  // Offers do not persist: back/forward cache, a tab shown again after a minute, or the selected offer's
  // expiresAt passing all fetch fresh ones.
  readonly #query = new QueryController(this, {
    args: () => {
      const inputs = this.#lineItems.read(this.lineItems);
      const address = this.shippingAddress ?? null;
      return inputs.length && address ? {inputs, address} : null;
    },
    run: ({inputs, address}, signal): Outcome | Promise<Outcome> => {
      const refused = refuse(inputs);
      return refused ? failed(refused) : loadCheckout(proxyFor(this), inputs, address, signal);
    },
    clock: () => this.clock ?? systemClock,
    debounceMs: () => this.debounce,
    expiresAt: () => (this.#shown && !this.#shown.failure ? soonestExpiry(this.#shown) : null),
    onSettled: () => this.#handleSettled(),
  });

  /** What the order needs: the offer id, and per line the delivery ids; null unless state is ready. */
  get selection(): CheckoutSelection | null {
    return this.state === 'ready' ? this.#current : null;
  }

  /** Read-only: why the element is in its state, and what to do about it. */
  get diagnostics(): Diagnostics {
    const {status} = this.#query;
    const failure = this.#shown?.failure;
    return diagnose(
      this.state,
      status === 'initial' || status === 'pending'
        ? 'loading'
        : status === 'idle'
          ? this.#lineItems.read(this.lineItems).length
            ? 'no_address'
            : 'no_product'
          : failure
            ? (answerReason(failure.code, failure.reason) ?? failureReason(failure.code, failure.reason))
            : 'offers_shown',
    );
  }

  override connectedCallback() {
    super.connectedCallback();
    // Shown again, it asks again: its lines may have changed while the observer was off.
    this.#query.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // Any new value asks again, even an equal one (a merchant's way to retry).
    if (INPUTS.some((name) => changed.has(name))) this.#query.refresh();
  }

  protected override update(changed: PropertyValues<this>) {
    // After the controllers' hostUpdate, so a run the query just started counts as loading.
    this.state = this.#computeState();
    super.update(changed);
  }

  protected override render() {
    if (this.state === 'empty') return nothing;
    const shown = this.#shown;
    // While new offers load, what was shown stays (with no selection: state is loading).
    if (!shown) return html`<p class="notice" role="status">${LOADING}</p>`;
    const {failure, view} = shown;
    const top = failure?.top ?? [];
    return html`
      <p class="notice" role="status">${shown.notice}</p>
      <div class="top error" role="alert">${top.map((message) => html`<p>${message}</p>`)}</div>
      ${
        failure && !view && failure.lines.size === 0
          ? nothing
          : html`<ul class="lines">
              ${shown.inputs.map((input, index) => this.#renderLine(shown, input, index))}
            </ul>`
      }
    `;
  }

  protected override updated() {
    explain(this, () => ({
      lineItems: this.#lineItems.read(this.lineItems),
      // The postal code says where; the rest of the address is the shopper's.
      postalCode: this.shippingAddress?.postalCode,
      endpoint: proxyFor(this).endpoint,
    }));
  }

  #renderLine({view, chosen, failure, inputs}: Shown, input: CheckoutLineInput, index: number) {
    const line = view?.lines[index];
    const delivery = view ? lineChoice(view, chosen, index) : null;
    const error = failure?.lines.get(index);
    const group = view?.lineGroups[index];
    const offers = group !== null && group !== undefined ? view!.groups[group] : undefined;
    const showOptions = offers && offers.offers.length > 1 && offers.lineIndexes[0] === index;
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
              ${delivery.price ? html`<span class="price">${this.#formatPrice(delivery)}</span>` : nothing}
            </p>`
          : nothing
      }
      ${showOptions ? this.#renderChoices(view!, chosen, inputs, group!) : nothing}
      ${line?.returns ? html`<p part="returns">${line.returns.title}</p>` : nothing}
    </li>`;
  }

  #renderChoices(
    view: CheckoutView,
    chosen: readonly DeliveryChoice[],
    inputs: readonly CheckoutLineInput[],
    group: number,
  ) {
    const {offers, lineIndexes} = view.groups[group]!;
    const titles = lineIndexes.map((i) => view.lines[i]?.title ?? inputs[i]?.sku);
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
              .checked=${offer === chosen[group]}
              @change=${() => this.#handleChoose(group, k)}
            />
            <span class="promise">${offer.message}</span>
            ${offer.price ? html`<span class="price">${this.#formatPrice(offer)}</span>` : nothing}
          </label>`,
      )}
    </div>`;
  }

  // WebKit does not match :focus-visible on a radio reached with the arrow keys, which would leave keyboard
  // users without a focus indicator (WCAG 2.4.7): the group notes whether the keyboard or the pointer moved in
  // it last, and the styles outline its focused option after the keyboard too.
  #noteInput = (event: Event) =>
    (event.currentTarget as HTMLElement).toggleAttribute('data-keyboard', event.type === 'keydown');

  #formatPrice({price}: DeliveryChoice): string {
    return formatPrice(price!, this.closest('[lang]')?.getAttribute('lang') || undefined);
  }

  #computeState(): CheckoutState {
    // A failed request is a failure too: #handleSettled draws it.
    return stateOf(this.#query.status, () => (this.#shown?.failure ? 'error' : 'ready'));
  }

  /** Draws what a run gave, announces the selection, then bwp-load or bwp-error. */
  #handleSettled() {
    const {status, value, error, cause, args} = this.#query;
    if (!args) {
      this.#shown = null;
      return;
    }
    const {inputs, address} = args;
    const {view, failure} =
      status === 'error'
        ? failed(describe([{code: error!, lineIndex: null, reason: this.#query.errorReason}]))
        : value!;
    const {chosen, notice} = failure
      ? {chosen: view ? view.groups.map((g) => g.offers[0]!) : [], notice: ''}
      : carryChoices(view, inputs, this.#shown, cause === 'expired');
    this.#shown = {inputs, address: failure ? null : address, view, chosen, failure, notice};
    this.#publish(failure ? null : selectionOf(inputs, view, chosen, address));
    dispatchAfterUpdate(this, failure ? new BwpErrorEvent(failure.code) : new BwpLoadEvent(view));
  }

  /** Fires bwp-change when the selection differs from the last one published. */
  #publish(selection: CheckoutSelection | null) {
    if (JSON.stringify(selection) === JSON.stringify(this.#current)) return;
    this.#current = selection;
    dispatchAfterUpdate(this, new BwpChangeEvent(selection));
  }

  #handleChoose(group: number, offer: number) {
    const shown = this.#shown;
    const choice = shown?.view?.groups[group]?.offers[offer];
    if (!shown?.view || !choice || !shown.address) return;
    const chosen = shown.chosen.map((c, i) => (i === group ? choice : c));
    this.#shown = {...shown, chosen, notice: ''};
    this.requestUpdate();
    this.#publish(selectionOf(shown.inputs, shown.view, chosen, shown.address));
    this.#query.watchExpiry();
  }
}

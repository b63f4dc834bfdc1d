// Checkout data: the variables of CheckoutOffers.v1 / DeliveryPreview.v1, their normalizers (never throw),
// and the selection model, i.e. what createOrderFromOffer and createOrder need.
import {
  errorCode,
  first,
  instant,
  languageTag,
  normalizeReturns,
  record,
  soonest,
  text,
  truthy,
} from './normalize.js';
import {
  MAX_QUANTITY,
  type CheckoutSelection,
  type ErrorCode,
  type Money,
  type ShippingAddress,
} from './protocol.js';
import type {GraphQLResponse, ReturnsView} from './types.js';

/** One cart line as the page gives it. */
export interface CheckoutLineInput {
  sku?: string;
  productId?: string;
  quantity: number;
}

/** One delivery offer a shopper can pick (from deliveryPreview) or the only one (from offers). */
export interface DeliveryChoice {
  id: string | null;
  /** Amazon's promise, verbatim. */
  message: string | null;
  locale: string | null;
  /** The badge is PRIME and there is a promise: the Prime badge may be shown. */
  prime: boolean;
  isPrimeEligible: boolean;
  deliverySpeed: string | null;
  price: Money | null;
  /** When the offer stops being valid (ms since the epoch). */
  expiresAt: number | null;
}

/** One line of the CheckoutOffers answer. */
export interface CheckoutLineView {
  title: string | null;
  sku: string | null;
  productId: string | null;
  quantity: number | null;
  /** The line's delivery offer as the offers query gave it. */
  delivery: DeliveryChoice | null;
  deliveryPreviewId: string | null;
  deliveryProvider: string;
  returns: ReturnsView | null;
}

export interface CheckoutOffersView {
  /** The offer node id: createOrderFromOffer's baseOfferId. */
  offerId: string | null;
  lines: CheckoutLineView[];
  expiresAt: number | null;
  /** The offer node's own expiresAt (createOrderFromOffer refuses it after that). */
  offerExpiresAt: string | null;
}

export interface DeliveryGroupView {
  id: string | null;
  /** Product identifiers in the group (sku, product id, or other values), as the API named them. */
  products: string[];
  offers: DeliveryChoice[];
}

export interface DeliveryPreviewView {
  id: string | null;
  groups: DeliveryGroupView[];
}

/** A failure and, when the API says which, the line (index into the lines sent) it is about. */
export interface CheckoutProblem {
  code: ErrorCode;
  lineIndex: number | null;
  /** The proxy's `extensions.reason`, when it gave one. */
  reason?: string;
}

type Json = Record<string, unknown>;

const identifierOf = (line: CheckoutLineInput) =>
  line.sku ? {sku: line.sku} : {productId: line.productId ?? ''};

/** Exactly the address fields (extra properties on the page's object are not sent). */
// Spelled out rather than mapped over ADDRESS_FIELDS, which would then ride in the chunk every element loads
// (about 35 brotli bytes more per product element); ShippingAddress is derived from ADDRESS_FIELDS, so the
// compiler fails here when a field is added or removed.
const addressOf = ({name, streetAddress, locality, region, postalCode, countryCode}: ShippingAddress) =>
  ({name, streetAddress, locality, region, postalCode, countryCode}) satisfies ShippingAddress;

/** Variables of CheckoutOffers.v1 for the lines and address. */
export const checkoutOffersVariables = (lines: readonly CheckoutLineInput[], address: ShippingAddress) => ({
  lineItems: lines.map((line) => ({
    product: {identifier: identifierOf(line)},
    amount: {unit: 'ONE', value: line.quantity},
  })),
  shippingAddress: addressOf(address),
});

/** Variables of DeliveryPreview.v1 for the (Prime) lines and address. */
export const deliveryPreviewVariables = (lines: readonly CheckoutLineInput[], address: ShippingAddress) => ({
  products: lines.map((line) => ({
    productIdentifier: identifierOf(line),
    amount: {unit: 'ONE', value: line.quantity},
  })),
  shippingAddress: addressOf(address),
});

/** Why a line cannot be sent, before any request: a message for the shopper, or null when it is fine. */
export function lineInputProblem(line: CheckoutLineInput): string | null {
  if (!line.sku && !line.productId) return 'This item has no SKU or product id.';
  if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY)
    return `The quantity must be a whole number from 1 to ${MAX_QUANTITY}.`;
  return null;
}

/** Every error of a response with its code and line; an empty list when there is none. */
export function responseProblems(response: GraphQLResponse | unknown): CheckoutProblem[] {
  const errors = record(response)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.map((error): CheckoutProblem => {
    const extensions = record(record(error)?.extensions);
    const index = extensions?.lineIndex;
    return {
      code: errorCode(extensions?.code),
      lineIndex: typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : null,
      ...(typeof extensions?.reason === 'string' && {reason: extensions.reason}),
    };
  });
}

function money(value: unknown): Money | null {
  const m = record(value);
  const amount = typeof m?.amount === 'string' ? Number(m.amount) : m?.amount;
  const currencyCode = text(m?.currencyCode);
  return typeof amount === 'number' && Number.isFinite(amount) && currencyCode
    ? {amount, currencyCode}
    : null;
}

/** A delivery offer (details, summary, or a deliveryPreview offer) as a choice. */
function choice(
  offer: Json | undefined,
  messaging: Json | undefined,
  terms: Json | undefined,
  price: unknown,
) {
  const message = text(messaging?.messageText);
  const prime = messaging?.badge === 'PRIME' && message !== null;
  return {
    id: text(offer?.id),
    message,
    locale: languageTag(messaging?.locale),
    prime,
    // A preview offer may not repeat its terms: its badge then says whether it is a Prime delivery.
    isPrimeEligible: terms && 'isPrimeEligible' in terms ? truthy(terms.isPrimeEligible) : prime,
    deliverySpeed: text(terms?.deliverySpeed),
    price: money(price),
    expiresAt: instant(offer?.expiresAt),
  } satisfies DeliveryChoice;
}

function checkoutLine(value: unknown): CheckoutLineView {
  const line = record(value);
  const product = record(line?.product);
  const deliveryOffer = record(line?.deliveryOffer);
  const details = record(deliveryOffer?.details);
  const summary = record(deliveryOffer?.summary) ?? record(deliveryOffer?.deliveryOfferSummary);
  const form = details ?? summary;
  const messaging = record(record(details?.policy)?.messaging) ?? record(summary?.deliveryMessage);
  const terms = record(details?.deliveryTerms) ?? record(summary?.deliveryTerms);
  const price = record(details?.price)?.totalPrice ?? summary?.deliveryCharge;
  const quantity = record(line?.amount)?.value;
  const delivery = form ? choice(details, messaging, terms ?? {}, price) : null;
  return {
    title: text(product?.title),
    sku: text(record(product?.sku)?.value),
    productId: text(record(product?.productId)?.value),
    quantity: typeof quantity === 'number' ? quantity : null,
    delivery,
    deliveryPreviewId: text(details?.deliveryPreviewId),
    deliveryProvider: text(form?.deliveryProvider) ?? 'AMAZON',
    returns: normalizeReturns(line?.reversalOffers),
  };
}

/** A CheckoutOffers.v1 answer as a view model; null when it has no offer. */
export function normalizeCheckoutOffers(response: unknown): CheckoutOffersView | null {
  const node = record(record(first(record(record(record(response)?.data)?.offers)?.edges))?.node);
  if (!node || !Array.isArray(node.lineItems)) return null;
  const lines = node.lineItems.map(checkoutLine);
  return {
    offerId: text(node.id),
    offerExpiresAt: text(node.expiresAt),
    lines,
    expiresAt: soonest(instant(node.expiresAt), ...lines.map((l) => l.delivery?.expiresAt ?? null)),
  };
}

/** The identifier values of a delivery group's product (`{__typename, value}`, or `{sku}` / `{productId}`). */
function productValues(value: unknown): string[] {
  const identifier = record(record(value)?.productIdentifier);
  if (!identifier) return [];
  return ['value', 'sku', 'SKU', 'productId', 'externalId']
    .map((key) => text(identifier[key]))
    .filter((v): v is string => v !== null);
}

/** A DeliveryPreview.v1 answer as a view model; null when it has no preview. */
export function normalizeDeliveryPreview(response: unknown): DeliveryPreviewView | null {
  const preview = record(record(record(response)?.data)?.deliveryPreview);
  if (!preview) return null;
  const groups = Array.isArray(preview.deliveryGroups) ? preview.deliveryGroups : [];
  return {
    id: text(preview.id),
    groups: groups.map((g) => {
      const group = record(g);
      const offers = Array.isArray(group?.deliveryOffers) ? group.deliveryOffers : [];
      const products = Array.isArray(group?.products) ? group.products : [];
      return {
        id: text(group?.id),
        products: products.flatMap(productValues),
        offers: offers
          .map((o) => {
            const offer = record(o);
            const messaging = record(record(offer?.policy)?.messaging);
            const terms = record(offer?.deliveryTerms) ?? record(offer?.terms);
            return choice(offer, messaging, terms, record(offer?.price)?.totalPrice);
          })
          .filter((c) => c.id !== null),
      };
    }),
  };
}

/** Two choices mean the same to the shopper: the same id, or the same promise, badge and price. */
export function sameChoice(a: DeliveryChoice, b: DeliveryChoice): boolean {
  if (a.id !== null && a.id === b.id) return true;
  return (
    a.message === b.message &&
    a.prime === b.prime &&
    a.price?.amount === b.price?.amount &&
    a.price?.currencyCode === b.price?.currencyCode
  );
}

/** A delivery group the shopper may choose for: the lines it ships, and its offers (first = default). */
export interface CheckoutGroup {
  id: string | null;
  lineIndexes: number[];
  offers: DeliveryChoice[];
}

/** The checkout as shown: one entry per input line, and the delivery groups of the Prime lines. */
export interface CheckoutView {
  offerId: string | null;
  deliveryPreviewId: string | null;
  lines: CheckoutLineView[];
  groups: CheckoutGroup[];
  /** For each line, the index of its group in `groups`, or null (its offers-query delivery applies). */
  lineGroups: Array<number | null>;
  /** When the offer (and so `offerId`) stops being valid, if the API says. */
  expiresAt: number | null;
}

const lineKeys = (input: CheckoutLineInput, view: CheckoutLineView | undefined) =>
  [input.sku, input.productId, view?.sku, view?.productId].filter((k): k is string => !!k);

/**
 * Joins the offers answer (every line) with the delivery preview (the lines at `previewLines`): each previewed
 * line belongs to the group that names its product; with one group and no names, to that group.
 */
export function buildCheckoutView(
  inputs: readonly CheckoutLineInput[],
  offers: CheckoutOffersView,
  preview: DeliveryPreviewView | null,
  previewLines: readonly number[] = [],
): CheckoutView {
  const groups: CheckoutGroup[] = (preview?.groups ?? [])
    .filter((g) => g.offers.length > 0)
    .map((g) => ({id: g.id, lineIndexes: [], offers: g.offers}));
  const named = (preview?.groups ?? []).filter((g) => g.offers.length > 0);
  const lineGroups: Array<number | null> = inputs.map(() => null);
  for (const index of previewLines) {
    const keys = lineKeys(inputs[index]!, offers.lines[index]);
    let group = named.findIndex((g) => g.products.some((p) => keys.includes(p)));
    if (group < 0 && groups.length === 1) group = 0;
    if (group >= 0) {
      lineGroups[index] = group;
      groups[group]!.lineIndexes.push(index);
    }
  }
  return {
    offerId: offers.offerId,
    deliveryPreviewId: preview?.id ?? null,
    lines: offers.lines,
    groups: groups.filter((g) => g.lineIndexes.length > 0),
    lineGroups: remap(lineGroups, groups),
    expiresAt: instant(offers.offerExpiresAt),
  };
}

/** Group indexes after dropping groups that no line belongs to. */
function remap(lineGroups: Array<number | null>, groups: CheckoutGroup[]): Array<number | null> {
  const kept = groups.map((g, i) => (g.lineIndexes.length > 0 ? i : -1)).filter((i) => i >= 0);
  return lineGroups.map((g) => (g === null ? null : kept.indexOf(g)));
}

/** The choice shown for a line: its group's chosen offer, else the line's own delivery offer. */
export function lineChoice(view: CheckoutView, chosen: readonly DeliveryChoice[], index: number) {
  const group = view.lineGroups[index];
  return group !== null && group !== undefined
    ? (chosen[group] ?? null)
    : (view.lines[index]?.delivery ?? null);
}

/** The selection for createOrderFromOffer / createOrder, from the view and the chosen offer per group. */
export function selectionOf(
  inputs: readonly CheckoutLineInput[],
  view: CheckoutView,
  chosen: readonly DeliveryChoice[],
  address: ShippingAddress,
): CheckoutSelection {
  return {
    offerId: view.offerId,
    shippingAddress: addressOf(address),
    lines: inputs.map((input, index) => {
      const line = view.lines[index];
      const grouped = view.lineGroups[index] !== null;
      const delivery = lineChoice(view, chosen, index);
      return {
        ...identifierOf(input),
        quantity: input.quantity,
        deliveryPreviewId: grouped ? view.deliveryPreviewId : (line?.deliveryPreviewId ?? null),
        deliveryOfferId: delivery?.id ?? null,
        isPrimeEligible: delivery?.isPrimeEligible ?? false,
        deliveryProvider: line?.deliveryProvider ?? 'AMAZON',
        deliverySpeed: delivery?.deliverySpeed ?? null,
        messageText: delivery?.message ?? null,
        deliveryPrice: delivery?.price ?? null,
      };
    }),
  };
}

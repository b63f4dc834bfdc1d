// offers: delivery and return offers per line item, for Prime and non-Prime products alike; remembered for createOrderFromOffer.
import {MAX_LINES} from '../../../src/api/protocol.ts';
import type {ProductRef} from '../catalog.ts';
import {validation} from '../errors.ts';
import {destinationOf, type LocationInput} from '../locations.ts';
import {
  deliveryOptions,
  filterOptions,
  isExact,
  primeApplies,
  type DeliveryOption,
  type QuoteContext,
} from '../quotes.ts';
import {shopperOf, type IdentityInput} from '../shoppers.ts';
import type {IssuedOffer, IssuedPreview, OfferLine} from '../store.ts';
import {issuePreview, type PreviewItem} from './delivery-preview.ts';
import {
  checkIdentifier,
  checkQuantity,
  dateRange,
  deliveryPrice,
  findProduct,
  messaging,
  money,
  productView,
  reversalSummary,
  terms,
  type SandboxContext,
} from './shared.ts';

interface OfferLineItemInput {
  product: {productId?: string | null; identifier?: ProductRef | null};
  amount?: {unit?: string | null; value: number} | null;
  deliveryTerms?: {isPrimeEligible?: boolean | null; deliverySpeed?: string | null} | null;
}

interface OffersArgs {
  input: {
    lineItems: OfferLineItemInput[];
    location?: LocationInput | null;
    shopperIdentity?: IdentityInput | null;
  };
}

export function productRefOf(
  product: {productId?: string | null; identifier?: ProductRef | null},
  where: string,
) {
  if (product.identifier && product.productId != null) {
    throw validation('InvalidInput', `${where} takes productId or identifier, not both`);
  }
  if (product.identifier) return checkIdentifier(product.identifier, `${where}.identifier`);
  if (product.productId != null) return {productId: product.productId};
  throw validation('InvalidInput', `${where} needs productId or identifier`);
}

/** The delivery offer parts of a line item (summary, its product-page alias, details) for one option. */
export function deliveryOfferView(
  option: DeliveryOption,
  ids: {id: string | null; deliveryPreviewId: string | null; expiresAt: Date | null},
  extra: Record<string, unknown> = {},
) {
  const summary = {
    deliveryMessage: messaging(option),
    deliveryCharge: money(option.price),
    deliveryProvider: 'AMAZON',
    deliveryTerms: terms(option),
    taxes: null,
    discounts: [],
    deliveryOfferFor: extra.deliveryOfferFor ?? null,
  };
  return {
    summary,
    deliveryOfferSummary: summary,
    details: {
      id: ids.id,
      deliveryPreviewId: ids.deliveryPreviewId,
      deliveryProvider: 'AMAZON',
      date: dateRange(option),
      deliveryTerms: terms(option),
      policy: {messaging: messaging(option), productMessaging: []},
      price: deliveryPrice(option),
      recipient: null,
      discounts: null,
      taxes: null,
      deliveryOfferFor: null,
      expiresAt: ids.expiresAt?.toISOString() ?? null,
      ...extra,
    },
  };
}

/** The issued delivery offer of a preview for a product at a speed. */
export function issuedOfferFor(preview: IssuedPreview, item: PreviewItem, option: DeliveryOption) {
  const group = preview.groups.find((g) => g.products.includes(item));
  return group?.offers.find((o) => o.option.speed === option.speed && o.option.isPrimeEligible);
}

export function offers(args: OffersArgs, ctx: SandboxContext) {
  const {lineItems, location, shopperIdentity} = args.input;
  if (lineItems.length === 0) throw validation('InvalidInput', 'lineItems must not be empty');
  if (lineItems.length > MAX_LINES) {
    throw validation('LineItemLimitExceeded', `An offer takes at most ${MAX_LINES} line items`, {
      limit: MAX_LINES,
    });
  }
  const shopper = shopperOf(shopperIdentity);
  const destination = destinationOf(location, ctx.locateIp);
  const now = ctx.now();
  const quote: QuoteContext = {now, destination, shopper};

  const chosen = lineItems.map((line, index) => {
    const ref = productRefOf(line.product, `lineItems[${index}].product`);
    const product = findProduct(ctx, ref);
    const quantity = checkQuantity(ctx, product, line.amount?.value, 'preview');
    const wanted = line.deliveryTerms?.isPrimeEligible;
    const options =
      wanted === true && !primeApplies(product, quote)
        ? []
        : filterOptions(deliveryOptions(product, quote, wanted ?? undefined), line.deliveryTerms);
    const item: PreviewItem = {product, quantity, ref, unit: line.amount?.unit};
    return {item, option: options[0] ?? null};
  });

  // Prime lines get delivery offer ids from one delivery preview: lines that ship together share an id.
  const primeItems = chosen.filter((c) => c.option?.isPrimeEligible).map((c) => c.item);
  const preview = primeItems.length
    ? issuePreview(ctx, primeItems, destination, shopper, {isPrimeEligible: true})
    : null;

  const lines: OfferLine[] = chosen.map(({item, option}) => {
    const issued = preview && option?.isPrimeEligible ? issuedOfferFor(preview, item, option) : undefined;
    return {
      product: item.product,
      quantity: item.quantity,
      option,
      view: {
        id: ctx.store.newId('LI'),
        aliases: [],
        amount: {unit: item.unit ?? 'ONE', value: item.quantity},
        createdAt: null,
        product: productView(item.product),
        deliveryOffer: option
          ? deliveryOfferView(option, {
              id: issued?.id ?? null,
              deliveryPreviewId: issued ? preview!.id : null,
              expiresAt: isExact(quote) ? (issued?.expiresAt ?? null) : null,
            })
          : null,
        reversalOffers: {summary: reversalSummary(item.product)},
      },
    };
  });

  const offer: IssuedOffer = {
    id: ctx.store.newId('OFFER'),
    expiresAt: new Date(now.getTime() + ctx.offerTtlMs),
    destination,
    shopper,
    lines,
  };
  ctx.store.offers.set(offer.id, offer);
  const node = {id: offer.id, lineItems: lines.map((l) => l.view), expiresAt: offer.expiresAt.toISOString()};
  return {
    edges: [{cursor: node.id, node}],
    pageInfo: {hasNextPage: false, hasPreviousPage: false, startCursor: node.id, endCursor: node.id},
    totalCount: 1,
  };
}

// deliveryPreview and shopperBwPEligibility: delivery offers grouped by shipment, and the shopper's Prime status.
import {MAX_LINES} from '../../../src/api/protocol.ts';
import type {Product, ProductRef} from '../catalog.ts';
import {validation} from '../errors.ts';
import {destinationOf, type Destination, type LocationInput} from '../locations.ts';
import {deliveryOptions, filterOptions, isExact, type QuoteContext} from '../quotes.ts';
import {shopperOf, type IdentityInput, type Shopper} from '../shoppers.ts';
import type {IssuedPreview} from '../store.ts';
import {
  checkIdentifier,
  checkQuantity,
  dateRange,
  deliveryPrice,
  findProduct,
  messaging,
  terms,
  type SandboxContext,
} from './shared.ts';

interface TermsInput {
  isPrimeEligible?: boolean | null;
  deliverySpeed?: string | null;
}

interface DeliveryPreviewArgs {
  input: {
    products: {productIdentifier: ProductRef; amount?: {unit?: string | null; value: number} | null}[];
    location?: LocationInput | null;
    shopperIdentity?: IdentityInput | null;
    terms?: TermsInput | null;
  };
}

export interface PreviewItem {
  product: Product;
  quantity: number;
  /** How the caller named the product, echoed in productIdentifier. */
  ref: ProductRef;
  unit?: string | null;
}

/**
 * Issues and remembers a delivery preview: items that ship together (same handling time) form a group,
 * each group gets its delivery offers, best first. Offers expire only for a known shopper with a full address.
 */
export function issuePreview(
  ctx: SandboxContext,
  items: PreviewItem[],
  destination: Destination,
  shopper: Shopper | undefined,
  filter?: TermsInput | null,
): IssuedPreview {
  const now = ctx.now();
  const quote: QuoteContext = {now, destination, shopper};
  const expiresAt = isExact(quote) ? new Date(now.getTime() + ctx.offerTtlMs) : null;
  const byHandling = new Map<number, PreviewItem[]>();
  for (const item of items) {
    const handling = item.product.handlingDays ?? 0;
    byHandling.set(handling, [...(byHandling.get(handling) ?? []), item]);
  }
  const preview = {
    id: ctx.store.newId('DP'),
    destination,
    shopper,
    groups: [...byHandling.values()].map((group) => ({
      id: ctx.store.newId('DG'),
      products: group,
      offers: filterOptions(deliveryOptions(group[0]!.product, quote), filter).map((option) => ({
        id: ctx.store.newId('DO'),
        option,
        expiresAt,
      })),
    })),
  };
  ctx.store.previews.set(preview.id, preview);
  return preview;
}

function identifierView(item: PreviewItem) {
  const {ref, product} = item;
  if (ref.sku != null || ref.SKU != null) return {__typename: 'SkuProductIdentifier', value: product.sku};
  if (ref.productId != null) return {__typename: 'ProductIdProductIdentifier', value: product.productId};
  if (ref.externalId != null) return {__typename: 'ExternalIdProductIdentifier', value: product.externalId};
  return {__typename: 'AmazonSkuProductIdentifier', value: product.amazonSku, marketplaceId: null};
}

export function deliveryPreview(args: DeliveryPreviewArgs, ctx: SandboxContext) {
  const {products, location, shopperIdentity, terms: filter} = args.input;
  if (products.length === 0) throw validation('InvalidInput', 'products must not be empty');
  if (products.length > MAX_LINES) {
    throw validation('LineItemLimitExceeded', `A delivery preview takes at most ${MAX_LINES} products`);
  }
  const shopper = shopperOf(shopperIdentity);
  const destination = destinationOf(location, ctx.locateIp);
  const items = products.map(({productIdentifier, amount}, index): PreviewItem => {
    const ref = checkIdentifier(productIdentifier, `products[${index}].productIdentifier`);
    const product = findProduct(ctx, ref);
    if (!product.prime) {
      throw validation(
        'ProductNotPrimeEnabled',
        `Delivery Preview isn't available for products that don't offer Buy with Prime: ${product.sku}`,
        {itemId: product.sku},
      );
    }
    return {
      product,
      quantity: checkQuantity(ctx, product, amount?.value, 'preview'),
      ref,
      unit: amount?.unit,
    };
  });
  const preview = issuePreview(ctx, items, destination, shopper, filter);
  return {
    id: preview.id,
    deliveryGroups: preview.groups.map((group) => ({
      id: group.id,
      products: (group.products as PreviewItem[]).map((item) => ({
        productIdentifier: identifierView(item),
        amount: {unit: item.unit ?? null, value: item.quantity},
      })),
      deliveryOffers: group.offers.map(({id, option, expiresAt}) => ({
        id,
        price: deliveryPrice(option),
        date: dateRange(option),
        policy: {messaging: messaging(option), productMessaging: []},
        expiresAt: expiresAt?.toISOString() ?? null,
        terms: terms(option),
        deliveryTerms: terms(option),
      })),
    })),
  };
}

export function shopperBwPEligibility(args: {identityToken: IdentityInput}) {
  const shopper = shopperOf(args.identityToken);
  if (!shopper)
    throw validation('InvalidIdpToken', 'identityToken needs lwaAccessToken or apayCheckoutSessionId');
  return {shopperId: shopper.shopperId, bwpEligibilityStatus: shopper.prime ? 'PRIME' : 'NON_PRIME'};
}

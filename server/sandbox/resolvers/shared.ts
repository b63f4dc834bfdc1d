// What every resolver shares: the context, product lookups and checks, and the API's small value shapes.
import type {Catalog, Product, ProductRef} from '../catalog.ts';
import {resourceNotFound, validation} from '../errors.ts';
import type {DeliveryOption} from '../quotes.ts';
import type {Store} from '../store.ts';

export interface SandboxContext {
  catalog: Catalog;
  store: Store;
  now: () => Date;
  /** How long an offer can be turned into an order, and a known shopper's delivery offer lasts. */
  offerTtlMs: number;
  /** Postal code for a shopper IP address (the sandbox has no geolocation database). */
  locateIp: (ip: string) => string | undefined;
}

export const money = (amount: number, currencyCode = 'USD') => ({
  amount: Math.round(amount * 100) / 100,
  currencyCode,
});
const stringValue = (v: string | undefined) => (v ? {value: v} : null);
export const english = (text: string) => ({value: text, locale: 'en-US'});

/** Exactly one identifier, as the API asks ("Only one of the input type can be provided"). */
export function checkIdentifier(ref: ProductRef, where: string): ProductRef {
  const given = (['sku', 'SKU', 'productId', 'externalId', 'amazonSku'] as const).filter(
    (k) => ref[k] != null,
  );
  if (given.length !== 1) {
    throw validation('InvalidInput', `${where} needs exactly one of sku, productId, externalId, amazonSku`);
  }
  return ref;
}

export function findProduct(ctx: SandboxContext, ref: ProductRef): Product {
  const product = ctx.catalog.find(ref);
  if (!product) {
    const shown = ref.sku ?? ref.SKU ?? ref.productId ?? ref.externalId ?? ref.amazonSku?.value;
    throw resourceNotFound(`At least one item or product ID in the request is invalid: ${shown}`, {
      itemId: shown,
    });
  }
  return product;
}

/**
 * A whole, positive quantity the warehouse has (bundles: every component too). Offers and delivery
 * previews (`preview`) answer with the delivery-preview errors of API 2024-04-01: ProductOutOfStock when
 * none is left, ProductAmountUnavailable when fewer than asked; orders with ItemAmountUnavailable.
 */
export function checkQuantity(
  ctx: SandboxContext,
  product: Product,
  value: number | undefined | null,
  kind: 'preview' | 'order' = 'order',
): number {
  const quantity = value ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw validation('InvalidInput', 'amount.value must be a positive whole number');
  }
  const short = (p: Product, needed: number) => needed > ctx.store.available(p);
  const components = (product.bundle ?? []).map((c) => ({
    part: ctx.catalog.find({sku: c.sku}),
    needed: c.quantity * quantity,
  }));
  if (short(product, quantity) || components.some(({part, needed}) => !part || short(part, needed))) {
    const available = Math.max(0, ctx.store.available(product));
    const details = {itemId: product.sku, available};
    if (kind === 'order') {
      throw validation(
        'ItemAmountUnavailable',
        `The requested quantity of ${product.sku} is not available`,
        details,
      );
    }
    throw available === 0
      ? validation('ProductOutOfStock', `${product.sku} is out of stock`, details)
      : validation(
          'ProductAmountUnavailable',
          `The requested quantity of ${product.sku} is not available`,
          details,
        );
  }
  return quantity;
}

/** PurchasedProductView of a catalog product. */
export function productView(product: Product) {
  return {
    productId: stringValue(product.productId),
    sku: stringValue(product.sku),
    externalId: stringValue(product.externalId),
    amazonSku: product.amazonSku ? {marketplaceId: null, value: product.amazonSku} : null,
    title: product.title,
    price: money(product.price.amount, product.price.currencyCode),
    offerPrime: product.prime,
    productDetailPageUrl: product.productDetailPageUrl ?? null,
    image: product.image
      ? {
          displayReadyUrl: product.image.sourceUrl,
          sourceUrl: product.image.sourceUrl,
          altText: product.image.altText ?? null,
        }
      : null,
    purchaseGroupMembership: null,
  };
}

/** The return policy of an item: free 30-day returns, not returnable, or nothing for non-Prime items. */
export function reversalSummary(product: Product) {
  if (!product.prime) return {title: null, description: null, resolutionTypes: [], window: null};
  return product.returnable
    ? {
        title: english('Free 30-day returns'),
        description: english('This item is eligible for free 30-day returns through Buy with Prime'),
        resolutionTypes: ['RETURN'],
        window: {endDate: null, duration: {unit: 'DAYS', value: 30}},
      }
    : {
        title: english('Not returnable'),
        description: english('This item is not eligible for a return through Buy with Prime'),
        resolutionTypes: [],
        window: null,
      };
}

export const messaging = (option: DeliveryOption) => ({
  messageText: option.messageText,
  locale: 'en-US',
  badge: option.badge,
});

export const deliveryPrice = (option: DeliveryOption) => ({
  totalPrice: money(option.price),
  rollupPrices: option.price > 0 ? [{type: 'SHIPPING', value: money(option.price)}] : [],
});

export const dateRange = (option: DeliveryOption) => ({
  earliest: option.window.earliest.toISOString(),
  latest: option.window.latest.toISOString(),
});

export const terms = (option: DeliveryOption) => ({
  isPrimeEligible: option.isPrimeEligible,
  deliverySpeed: option.deliverySpeed,
});

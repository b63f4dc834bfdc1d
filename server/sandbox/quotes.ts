// Delivery options for one product at one destination for one shopper: the promise Amazon would make.
import type {Product} from './catalog.ts';
import {deliveryMessage, deliveryWindow, type DeliveryWindow, type Speed} from './dates.ts';
import type {Destination} from './locations.ts';
import type {Shopper} from './shoppers.ts';

export interface QuoteContext {
  now: Date;
  destination: Destination;
  shopper?: Shopper;
}

export interface DeliveryOption {
  speed: Speed;
  isPrimeEligible: boolean;
  /** "Standard" or "Expedited", as the docs spell them. */
  deliverySpeed: 'Standard' | 'Expedited';
  /** Delivery charge in USD. */
  price: number;
  window: DeliveryWindow;
  messageText: string;
  badge: 'PRIME' | 'NONE';
}

/** Charges (USD) the sandbox asks for paid speeds. */
export const DELIVERY_CHARGES = {primeOneDay: 7.99, standard: 5.99, expedited: 12.99} as const;

/** The promise is exact ("Get it …") only when the shopper is known and gave a full address. */
export const isExact = (ctx: QuoteContext) => Boolean(ctx.shopper && ctx.destination.complete);

/** Prime delivery applies: the product offers Buy with Prime and the shopper is not a known non-member. */
export const primeApplies = (product: Product, ctx: QuoteContext) =>
  product.prime && ctx.shopper?.prime !== false;

function option(
  product: Product,
  ctx: QuoteContext,
  speed: Speed,
  prime: boolean,
  price: number,
): DeliveryOption {
  const window = deliveryWindow(ctx.now, speed, ctx.destination, product.handlingDays ?? 0);
  return {
    speed,
    isPrimeEligible: prime,
    deliverySpeed: speed === 'STANDARD' || (prime && speed === 'TWO_DAY') ? 'Standard' : 'Expedited',
    price,
    window,
    messageText: deliveryMessage(window, isExact(ctx)),
    badge: prime ? 'PRIME' : 'NONE',
  };
}

/**
 * The delivery options, best first: Prime's free two-day delivery then paid one-day delivery when Prime
 * applies; otherwise paid standard then paid two-day delivery (Amazon fulfils, without Prime).
 * `prime: false` asks for the options without Prime even when Prime applies.
 */
export function deliveryOptions(
  product: Product,
  ctx: QuoteContext,
  prime = primeApplies(product, ctx),
): DeliveryOption[] {
  if (prime && primeApplies(product, ctx)) {
    return [
      option(product, ctx, 'TWO_DAY', true, 0),
      option(product, ctx, 'ONE_DAY', true, DELIVERY_CHARGES.primeOneDay),
    ];
  }
  return [
    option(product, ctx, 'STANDARD', false, DELIVERY_CHARGES.standard),
    option(product, ctx, 'TWO_DAY', false, DELIVERY_CHARGES.expedited),
  ];
}

/** Options filtered by the documented terms input (isPrimeEligible, deliverySpeed). */
export function filterOptions(
  options: DeliveryOption[],
  terms: {isPrimeEligible?: boolean | null; deliverySpeed?: string | null} | null | undefined,
): DeliveryOption[] {
  return options.filter(
    (o) =>
      (terms?.isPrimeEligible == null || o.isPrimeEligible === terms.isPrimeEligible) &&
      (terms?.deliverySpeed == null || o.deliverySpeed.toLowerCase() === terms.deliverySpeed.toLowerCase()),
  );
}

// What the sandbox remembers between requests, in memory: offers, delivery previews, orders, stock, ids.
import type {Product} from './catalog.ts';
import type {Destination} from './locations.ts';
import type {DeliveryOption} from './quotes.ts';
import type {Shopper} from './shoppers.ts';

export interface IssuedDeliveryOffer {
  id: string;
  option: DeliveryOption;
  /** Null: the offer does not expire (the shopper or the full address was not known). */
  expiresAt: Date | null;
}

export interface IssuedGroup {
  id: string;
  products: {product: Product; quantity: number}[];
  offers: IssuedDeliveryOffer[];
}

export interface IssuedPreview {
  id: string;
  destination: Destination;
  shopper?: Shopper;
  groups: IssuedGroup[];
}

export interface OfferLine {
  product: Product;
  quantity: number;
  option: DeliveryOption | null;
  /** The line item as the API shows it. */
  view: Record<string, unknown>;
}

export interface IssuedOffer {
  id: string;
  expiresAt: Date;
  destination: Destination;
  shopper?: Shopper;
  lines: OfferLine[];
}

export type OrderView = Record<string, unknown> & {
  id: string;
  aliases: {aliasType: string; aliasId: string}[];
};

export interface Store {
  newId(prefix: string): string;
  offers: Map<string, IssuedOffer>;
  previews: Map<string, IssuedPreview>;
  orders: Map<string, OrderView>;
  /** Units left: the catalog's stock less what orders took. */
  available(product: Product): number;
  take(product: Product, quantity: number): void;
}

export function createStore(): Store {
  let sequence = 0;
  const taken = new Map<string, number>();
  return {
    newId: (prefix) => `${prefix}-${String(++sequence).padStart(6, '0')}`,
    offers: new Map(),
    previews: new Map(),
    orders: new Map(),
    available: (product) => product.stock - (taken.get(product.sku) ?? 0),
    take: (product, quantity) => taken.set(product.sku, (taken.get(product.sku) ?? 0) + quantity),
  };
}

// The sandbox's product catalog, as data, and the lookups the resolvers need.
import products from './catalog.json' with {type: 'json'};

export interface Product {
  productId: string;
  sku: string;
  externalId?: string;
  amazonSku?: string;
  title: string;
  price: {amount: number; currencyCode: string};
  /** Offers Buy with Prime: delivery offers carry the PRIME badge. */
  prime: boolean;
  /** Free 30-day returns through Buy with Prime. */
  returnable: boolean;
  /** Units available; more than this fails with ItemAmountUnavailable. */
  stock: number;
}

export interface ProductRef {
  sku?: string | null;
  productId?: string | null;
  externalId?: string | null;
}

export interface Catalog {
  find(ref: ProductRef): Product | undefined;
  all(): readonly Product[];
}

export function createCatalog(items: readonly Product[] = products as Product[]): Catalog {
  const bySku = new Map(items.map((p) => [p.sku, p]));
  const byId = new Map(items.map((p) => [p.productId, p]));
  const byExternal = new Map(items.filter((p) => p.externalId).map((p) => [p.externalId!, p]));
  return {
    find: (ref) =>
      (ref.sku != null && bySku.get(ref.sku)) ||
      (ref.productId != null && byId.get(ref.productId)) ||
      (ref.externalId != null && byExternal.get(ref.externalId)) ||
      undefined,
    all: () => items,
  };
}

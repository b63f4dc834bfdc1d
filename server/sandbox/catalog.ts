// The sandbox's product catalog, as data (catalog.json), and the lookups the resolvers need.
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
  /** Units available; more than this fails with ProductAmountUnavailable (none: ProductOutOfStock). */
  stock: number;
  /** Business days the warehouse needs before shipping (made to order, oversize). */
  handlingDays?: number;
  productDetailPageUrl?: string;
  image?: {sourceUrl: string; altText?: string};
  /** The parent product of a size/colour variant, and the variant's selections. */
  variantOf?: string;
  variations?: {dimension: string; value: string}[];
  /** A bundle: its components, by SKU, with the quantity of each in one bundle. */
  bundle?: {sku: string; quantity: number}[];
}

export interface ProductRef {
  sku?: string | null;
  SKU?: string | null;
  productId?: string | null;
  externalId?: string | null;
  amazonSku?: {value?: string | null} | null;
}

export interface Catalog {
  find(ref: ProductRef): Product | undefined;
  all(): readonly Product[];
}

/**
 * A catalog over a list of products (the bundled catalog.json by default).
 * @example
 * const catalog = createCatalog([...defaultProducts, {productId: 'p1', sku: 'S1', title: 'Mug', ...}]);
 */
export function createCatalog(items: readonly Product[] = defaultProducts): Catalog {
  const bySku = new Map(items.map((p) => [p.sku, p]));
  const byId = new Map(items.map((p) => [p.productId, p]));
  const byExternal = new Map(items.filter((p) => p.externalId).map((p) => [p.externalId!, p]));
  const byAmazonSku = new Map(items.filter((p) => p.amazonSku).map((p) => [p.amazonSku!, p]));
  return {
    find: (ref) => {
      const sku = ref.sku ?? ref.SKU;
      if (sku != null) return bySku.get(sku);
      if (ref.productId != null) return byId.get(ref.productId);
      if (ref.externalId != null) return byExternal.get(ref.externalId);
      if (ref.amazonSku?.value != null) return byAmazonSku.get(ref.amazonSku.value);
      return undefined;
    },
    all: () => items,
  };
}

export const defaultProducts: readonly Product[] = products as Product[];

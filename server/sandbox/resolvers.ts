// Resolvers for the sandbox schema: what Amazon would answer, from the catalog and the clock.
import {GraphQLScalarType, Kind, type ValueNode} from 'graphql';
import type {Catalog, Product, ProductRef} from './catalog.ts';
import {estimateDelivery} from './dates.ts';
import {resourceNotFound, validation} from './errors.ts';

export interface SandboxContext {
  catalog: Catalog;
  now: () => Date;
  newId: (prefix: string) => string;
}

interface OfferLineItemInput {
  product: {productId?: string | null; identifier?: ProductRef | null};
  amount?: {unit?: string | null; value: number} | null;
  deliveryTerms?: {isPrimeEligible?: boolean | null} | null;
}

interface OffersArgs {
  input: {lineItems: OfferLineItemInput[]};
}

function parseLenientBoolean(value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new TypeError(`LenientBoolean cannot represent ${JSON.stringify(value)}`);
}

export const LenientBoolean = new GraphQLScalarType({
  name: 'LenientBoolean',
  serialize: parseLenientBoolean,
  parseValue: parseLenientBoolean,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.BOOLEAN || ast.kind === Kind.STRING) return parseLenientBoolean(ast.value);
    throw new TypeError('LenientBoolean must be a boolean or "true"/"false"');
  },
});

const money = (amount: number, currencyCode = 'USD') => ({amount, currencyCode});
const value = (v: string | undefined) => (v ? {value: v} : null);
const english = (text: string) => ({value: text, locale: 'en-US'});

function returnsSummary(product: Product) {
  if (!product.prime) return {title: null, description: null, resolutionTypes: []};
  return product.returnable
    ? {
        title: english('Free 30-day returns'),
        description: english('This item is eligible for free 30-day returns through Buy with Prime'),
        resolutionTypes: ['RETURN'],
      }
    : {
        title: english('Not returnable'),
        description: english('This item is not eligible for a return through Buy with Prime'),
        resolutionTypes: [],
      };
}

function lineItem(ctx: SandboxContext, item: OfferLineItemInput) {
  const ref: ProductRef = item.product.identifier ?? {productId: item.product.productId};
  const product = ctx.catalog.find(ref);
  if (!product) throw resourceNotFound(JSON.stringify(ref));
  const quantity = item.amount?.value ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw validation('InvalidAmount', 'amount.value must be a positive whole number');
  }
  if (quantity > product.stock) {
    throw validation('ItemAmountUnavailable', `The requested quantity of ${product.sku} is not available`);
  }
  const primeOnly = item.deliveryTerms?.isPrimeEligible === true;
  const estimate = estimateDelivery(ctx.now(), product.prime);
  const messaging = {
    messageText: estimate.messageText,
    locale: 'en-US',
    badge: product.prime ? 'PRIME' : 'NONE',
  };
  const terms = {isPrimeEligible: product.prime, deliverySpeed: product.prime ? null : 'Standard'};
  const summary = {
    deliveryMessage: messaging,
    deliveryProvider: 'AMAZON',
    deliveryTerms: terms,
    deliveryCharge: money(0),
  };
  const deliveryOffer =
    primeOnly && !product.prime
      ? null
      : {
          summary,
          deliveryOfferSummary: summary,
          details: {
            id: product.prime ? ctx.newId('DO') : null,
            deliveryPreviewId: product.prime ? ctx.newId('DP') : null,
            deliveryProvider: 'AMAZON',
            date: {earliest: estimate.earliest.toISOString(), latest: estimate.latest.toISOString()},
            deliveryTerms: terms,
            policy: {messaging},
            price: {totalPrice: money(product.prime ? 0 : 5.99), rollupPrices: []},
          },
        };
  return {
    id: ctx.newId('LI'),
    amount: {unit: item.amount?.unit ?? 'ONE', value: quantity},
    product: {
      productId: value(product.productId),
      sku: value(product.sku),
      externalId: value(product.externalId),
      amazonSku: product.amazonSku ? {marketplaceId: null, value: product.amazonSku} : null,
      title: product.title,
      price: product.price,
      offerPrime: product.prime,
      productDetailPageUrl: null,
    },
    deliveryOffer,
    reversalOffers: {summary: returnsSummary(product)},
  };
}

export function offers(args: OffersArgs, ctx: SandboxContext) {
  if (args.input.lineItems.length === 0) throw validation('InvalidInput', 'lineItems must not be empty');
  const node = {id: ctx.newId('offer'), lineItems: args.input.lineItems.map((item) => lineItem(ctx, item))};
  return {
    edges: [{cursor: node.id, node}],
    pageInfo: {hasNextPage: false, hasPreviousPage: false, startCursor: node.id, endCursor: node.id},
    totalCount: 1,
  };
}

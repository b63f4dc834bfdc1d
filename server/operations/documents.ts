// The persisted GraphQL documents: the only ones the proxy forwards, by id. Shared by proxy and sandbox tests.
import * as ids from '../../src/api/protocol.ts';
import {Kind, parse, print, visit, type DocumentNode, type ValueNode} from 'graphql';

/** A document the browser may ask for by id, with the variables the browser may set. */
export interface PersistedDocument {
  /** Stable id sent by the browser as `documentId`; a new version of a document gets a new id. */
  readonly id: string;
  readonly operationName: string;
  /**
   * The document as persisted. Variables named in `inline` are used but not declared: their input types
   * are not in Amazon's documentation, so the text sent upstream carries their values as literals instead
   * (see renderDocument and docs/api-names.md).
   */
  readonly query: string;
  /** Variables written into the text as literals, because no documented input type names them. */
  readonly inline?: readonly string[];
}

/** Line item fields of an offers document; checkout also asks when each delivery offer expires. */
const offerLineItemFields = ({expiry}: {expiry: boolean}) => /* GraphQL */ `
  product {
    productId { value }
    sku { value }
    title
    offerPrime
    price { amount currencyCode }
  }
  amount { unit value }
  deliveryOffer {
    summary {
      deliveryMessage { messageText locale badge }
      deliveryProvider
      deliveryTerms { isPrimeEligible deliverySpeed }
    }
    details {
      id
      deliveryPreviewId
      deliveryProvider
      date { earliest latest }
      policy { messaging { messageText locale badge } }
      deliveryTerms { isPrimeEligible deliverySpeed }
      price { totalPrice { amount currencyCode } }
      ${expiry ? 'expiresAt' : ''}
    }
  }
  reversalOffers {
    summary {
      title { value locale }
      description { value locale }
      resolutionTypes
    }
  }
`;

/** Product detail page and product cards: offers for products at the shopper's IP location. */
export const PRODUCT_OFFERS: PersistedDocument = {
  id: ids.PRODUCT_OFFERS,
  operationName: 'ProductOffers',
  query: /* GraphQL */ `
    query ProductOffers($location: DeliveryLocationInput!, $shopperIdentity: IdentityTokenInput) {
      offers(input: {lineItems: $lineItems, location: $location, shopperIdentity: $shopperIdentity}) {
        edges {
          node {
            id
            lineItems { ${offerLineItemFields({expiry: false})} }
          }
        }
        totalCount
      }
    }
  `,
  inline: ['lineItems'],
};

/** Cart and checkout: offers for every line at the shipping address the shopper gave (browser: lineItems, shippingAddress). */
export const CHECKOUT_OFFERS: PersistedDocument = {
  id: ids.CHECKOUT_OFFERS,
  operationName: 'CheckoutOffers',
  query: /* GraphQL */ `
    query CheckoutOffers($shopperIdentity: IdentityTokenInput) {
      offers(
        input: {lineItems: $lineItems, location: {shippingAddress: $shippingAddress}, shopperIdentity: $shopperIdentity}
      ) {
        edges {
          node {
            id
            expiresAt
            lineItems { ${offerLineItemFields({expiry: true})} }
          }
        }
        totalCount
      }
    }
  `,
  inline: ['lineItems', 'shippingAddress'],
};

/** Checkout: the delivery groups of the Prime lines, each with its delivery offers (browser: products, shippingAddress). */
export const DELIVERY_PREVIEW: PersistedDocument = {
  id: ids.DELIVERY_PREVIEW,
  operationName: 'DeliveryPreview',
  query: /* GraphQL */ `
    query DeliveryPreview($shopperIdentity: IdentityTokenInput) {
      deliveryPreview(
        input: {
          products: $products
          location: {shippingAddress: $shippingAddress}
          shopperIdentity: $shopperIdentity
        }
      ) {
        id
        deliveryGroups {
          id
          products {
            productIdentifier {
              __typename
              value
            }
            amount {
              unit
              value
            }
          }
          deliveryOffers {
            id
            price {
              totalPrice {
                amount
                currencyCode
              }
            }
            date {
              earliest
              latest
            }
            policy {
              messaging {
                messageText
                locale
                badge
              }
            }
            deliveryTerms {
              isPrimeEligible
              deliverySpeed
            }
            expiresAt
          }
        }
      }
    }
  `,
  inline: ['products', 'shippingAddress'],
};

export const DOCUMENTS: ReadonlyMap<string, PersistedDocument> = new Map(
  [PRODUCT_OFFERS, CHECKOUT_OFFERS, DELIVERY_PREVIEW].map((document) => [document.id, document]),
);

/** A document as sent upstream: its text, with the inlined variables as literals, and the other variables. */
export interface RenderedDocument {
  query: string;
  variables: Record<string, unknown>;
}

/** Raised when a value cannot be a GraphQL literal; validated variables never are. */
export class RenderError extends Error {}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const parsed = new WeakMap<PersistedDocument, DocumentNode>();

/** A text sent upstream; `json` is it written as a JSON string, once, when a request body first needs it. */
interface Printed {
  readonly query: string;
  json?: string;
}

// Least recently used first (Map order); a thousand texts of a few KB each.
const printed = new Map<string, Printed>();
const MAX_PRINTED = 1000;
// The documents that inline nothing are sent as they are.
const asPersisted = new WeakMap<PersistedDocument, Printed>();

/**
 * The text and variables sent upstream for `variables` (already validated by the proxy): each variable
 * in `document.inline` becomes a literal in the syntax tree, printed by graphql-js, so no value can ever
 * change the document's shape (a SKU of `"}` is a string like any other).
 * @example
 * const {query, variables} = renderDocument(PRODUCT_OFFERS, {lineItems, location});
 */
export function renderDocument(
  document: PersistedDocument,
  variables: Record<string, unknown>,
): RenderedDocument {
  const {text, rest} = render(document, variables);
  return {query: text.query, variables: rest};
}

/**
 * The body of the upstream request, `JSON.stringify(renderDocument(document, variables))` byte for byte,
 * with each text written as JSON once: escaping the text (kilobytes, line breaks) costs more than the variables.
 */
export function requestBody(document: PersistedDocument, variables: Record<string, unknown>): string {
  const {text, rest} = render(document, variables);
  text.json ??= JSON.stringify(text.query);
  return `{"query":${text.json},"variables":${JSON.stringify(rest)}}`;
}

function render(document: PersistedDocument, variables: Record<string, unknown>) {
  const inline = document.inline ?? [];
  if (inline.length === 0) {
    let text = asPersisted.get(document);
    if (!text) asPersisted.set(document, (text = {query: document.query}));
    return {text, rest: variables};
  }
  const rest = {...variables};
  for (const name of inline) delete rest[name];
  // Printing is most of the cost (hundreds of µs); a product grid asks for the same lines again and again.
  const key = JSON.stringify([document.id, ...inline.map((name) => variables[name] ?? null)]);
  let text = printed.get(key);
  if (text !== undefined) {
    printed.delete(key);
  } else {
    let ast = parsed.get(document);
    if (!ast) parsed.set(document, (ast = parse(document.query, {noLocation: true})));
    const literals = new Map<string, ValueNode>();
    for (const name of inline) literals.set(name, literal(variables[name] ?? null, name));
    text = {query: print(visit(ast, {Variable: (node) => literals.get(node.name.value)}))};
    if (printed.size >= MAX_PRINTED) printed.delete(printed.keys().next().value!);
  }
  printed.set(key, text);
  return {text, rest};
}

/** A JSON value as a GraphQL literal (strings stay strings: the API's enums are strings here, e.g. "ONE"). */
function literal(value: unknown, where: string): ValueNode {
  if (value === null) return {kind: Kind.NULL};
  if (typeof value === 'string') return {kind: Kind.STRING, value, block: false};
  if (typeof value === 'boolean') return {kind: Kind.BOOLEAN, value};
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RenderError(`${where} is not a finite number`);
    return Number.isInteger(value) && Math.abs(value) < 2 ** 31
      ? {kind: Kind.INT, value: String(value)}
      : {kind: Kind.FLOAT, value: String(value)};
  }
  if (Array.isArray(value))
    return {kind: Kind.LIST, values: value.map((item, index) => literal(item, `${where}[${index}]`))};
  if (typeof value === 'object') {
    return {
      kind: Kind.OBJECT,
      fields: Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .map(([key, field]) => {
          if (!NAME.test(key)) throw new RenderError(`${where} has a field that is not a GraphQL name`);
          return {
            kind: Kind.OBJECT_FIELD,
            name: {kind: Kind.NAME, value: key},
            value: literal(field, `${where}.${key}`),
          };
        }),
    };
  }
  throw new RenderError(`${where} is not a JSON value`);
}

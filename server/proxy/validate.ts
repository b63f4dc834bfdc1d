// Validation of what the browser may send: per-document variables, the shopper identity, JSON nesting.
import {
  CHECKOUT_OFFERS,
  DELIVERY_PREVIEW,
  MAX_LINES,
  MAX_QUANTITY,
  MAX_SHOPPER_TOKEN_LENGTH,
  PRODUCT_OFFERS,
  SHOPPER_TOKEN_HEADER,
} from '../../src/api/protocol.ts';

export const MAX_SKU_LENGTH = 255;
export const MAX_EXTERNAL_ID_LENGTH = 512;
/** A valid request nests 7 deep (batch, operation, variables, lineItems, item, product, identifier). */
export const MAX_JSON_DEPTH = 8;

/** A browser value the proxy refuses; `field` is a proxy-made path, never text copied from the request. */
export class InvalidRequest extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly lineIndex?: number,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Where {
  field: string;
  lineIndex?: number;
}

const at = (where: Where, key: string | number): Where => ({
  field: typeof key === 'number' ? `${where.field}[${key}]` : `${where.field}.${key}`,
  lineIndex: where.lineIndex,
});

const fail = (where: Where, what: string): never => {
  throw new InvalidRequest(`${where.field} ${what}`, where.field, where.lineIndex);
};

function object(value: unknown, where: Where, keys: readonly string[]): Json {
  if (!isRecord(value)) fail(where, 'must be an object');
  const record = value as Json;
  // The unknown key itself is not echoed: it is the caller's text.
  for (const key of Object.keys(record))
    if (!keys.includes(key)) fail(where, 'has a field that is not allowed');
  return record;
}

// Characters that change how an identifier reads without being seen: C1 controls, bidi marks, overrides
// and isolates, zero-width characters and the byte-order mark. A SKU or product id never needs one.
const INVISIBLE = /[\u0080-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/** An identifier (SKU, product id, external id): a string with nothing invisible in it. */
function identifier(value: unknown, where: Where, max: number): string {
  const text = string(value, where, 1, max);
  if (INVISIBLE.test(text)) fail(where, 'has invisible or direction-changing characters');
  return text;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function string(value: unknown, where: Where, min: number, max: number, pattern?: RegExp): string {
  if (typeof value !== 'string' || value.length < min || value.length > max)
    fail(where, `must be a string of ${min} to ${max} characters`);
  const text = value as string;
  if (pattern && !pattern.test(text)) fail(where, 'has characters that are not allowed');
  // Control characters have no place in an identifier or an address line.
  if (/[\u0000-\u001f\u007f]/.test(text)) fail(where, 'has control characters');
  // Half a surrogate pair is not text: it has no UTF-8 form, so the upstream would get a mangled value.
  if (LONE_SURROGATE.test(text)) fail(where, 'is not well-formed Unicode');
  // A required value of spaces only names nothing; the upstream would refuse it after a wasted call.
  if (min > 0 && text.trim() === '') fail(where, 'is blank');
  return text;
}

function optional<T>(value: unknown, check: (value: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : check(value);
}

/** Exactly one of sku, productId, externalId. */
function productIdentifier(value: unknown, where: Where) {
  const given = object(value, where, ['sku', 'productId', 'externalId']);
  const keys = Object.keys(given);
  if (keys.length !== 1) fail(where, 'must have exactly one of sku, productId, externalId');
  const key = keys[0]!;
  const max = key === 'externalId' ? MAX_EXTERNAL_ID_LENGTH : MAX_SKU_LENGTH;
  return {[key]: identifier(given[key], at(where, key), max)};
}

function amount(value: unknown, where: Where) {
  if (value === undefined) return {unit: 'ONE', value: 1};
  const record = object(value, where, ['unit', 'value']);
  if (record.unit !== undefined && record.unit !== null && record.unit !== 'ONE')
    fail(at(where, 'unit'), 'must be ONE');
  const quantity = record.value;
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
    fail(at(where, 'value'), `must be a whole number from 1 to ${MAX_QUANTITY}`);
  return {unit: 'ONE', value: quantity as number};
}

function lines<T>(value: unknown, where: Where, each: (item: unknown, where: Where) => T): T[] {
  // The API's split of an order (20 Prime + 20 not) is its own check, upstream.
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LINES)
    fail(where, `must be an array of 1 to ${MAX_LINES} items`);
  return (value as unknown[]).map((item, index) => each(item, {...at(where, index), lineIndex: index}));
}

function offerLineItem(value: unknown, where: Where) {
  const item = object(value, where, ['product', 'amount', 'deliveryTerms']);
  const productWhere = at(where, 'product');
  const product = object(item.product, productWhere, ['productId', 'identifier']);
  const hasId = product.productId !== undefined;
  const hasIdentifier = product.identifier !== undefined;
  if (hasId === hasIdentifier) fail(productWhere, 'must have exactly one of productId, identifier');
  const terms = optional(item.deliveryTerms, (terms) => {
    const termsWhere = at(where, 'deliveryTerms');
    const record = object(terms, termsWhere, ['isPrimeEligible']);
    if (typeof record.isPrimeEligible !== 'boolean')
      fail(at(termsWhere, 'isPrimeEligible'), 'must be a boolean');
    return {isPrimeEligible: record.isPrimeEligible as boolean};
  });
  return {
    product: hasId
      ? {productId: identifier(product.productId, at(productWhere, 'productId'), MAX_SKU_LENGTH)}
      : {identifier: productIdentifier(product.identifier, at(productWhere, 'identifier'))},
    amount: amount(item.amount, at(where, 'amount')),
    ...(terms ? {deliveryTerms: terms} : {}),
  };
}

function deliveryProduct(value: unknown, where: Where) {
  const item = object(value, where, ['productIdentifier', 'amount']);
  return {
    productIdentifier: productIdentifier(item.productIdentifier, at(where, 'productIdentifier')),
    amount: amount(item.amount, at(where, 'amount')),
  };
}

/** Field limits of a shipping address: generous for real addresses, small enough to bound the request. */
export const ADDRESS_LIMITS = {
  name: 128,
  streetAddress: 180,
  extendedAddress: 180,
  locality: 100,
  region: 100,
  postalCode: 20,
  phoneNumber: 32,
} as const;

function shippingAddress(value: unknown, where: Where) {
  const address = object(value, where, [
    'name',
    'streetAddress',
    'extendedAddress',
    'locality',
    'region',
    'postalCode',
    'countryCode',
    'phoneNumber',
  ]);
  const required = (key: keyof typeof ADDRESS_LIMITS) =>
    string(address[key], at(where, key), 1, ADDRESS_LIMITS[key]);
  const extendedAddress = optional(address.extendedAddress, (v) =>
    string(v, at(where, 'extendedAddress'), 0, ADDRESS_LIMITS.extendedAddress),
  );
  const phoneNumber = optional(address.phoneNumber, (v) =>
    string(v, at(where, 'phoneNumber'), 1, ADDRESS_LIMITS.phoneNumber, /^[0-9+()\-. ]+$/),
  );
  return {
    name: required('name'),
    streetAddress: required('streetAddress'),
    ...(extendedAddress ? {extendedAddress} : {}),
    locality: required('locality'),
    region: required('region'),
    postalCode: string(
      address.postalCode,
      at(where, 'postalCode'),
      1,
      ADDRESS_LIMITS.postalCode,
      /^[A-Za-z0-9 -]+$/,
    ),
    // ISO 3166-1 alpha-2; whether Amazon delivers there is the API's answer (unsupported_destination).
    countryCode: string(address.countryCode, at(where, 'countryCode'), 2, 2, /^[A-Z]{2}$/),
    ...(phoneNumber ? {phoneNumber} : {}),
  };
}

/** A US ZIP code: 5 digits, or ZIP+4. */
export const US_POSTAL_CODE = /^\d{5}(-\d{4})?$/;

/**
 * The one location a browser may choose for the product-page documents: a US postal code and nothing
 * else, so no street address ever travels from a product page (the IP stays the proxy's to set).
 */
function postalCodeLocation(value: unknown, where: Where) {
  const location = object(value, where, ['shippingAddress']);
  const addressWhere = at(where, 'shippingAddress');
  const address = object(location.shippingAddress, addressWhere, ['postalCode', 'countryCode']);
  if (address.countryCode !== 'US') fail(at(addressWhere, 'countryCode'), 'must be US');
  return {
    shippingAddress: {
      postalCode: string(address.postalCode, at(addressWhere, 'postalCode'), 5, 10, US_POSTAL_CODE),
      countryCode: 'US',
    },
  };
}

const root: Where = {field: 'variables'};

/** What a persisted document lets the browser set, and which server-owned variables the proxy adds. */
export interface DocumentRules {
  /** The browser's variables, rebuilt from only what is allowed; throws InvalidRequest. */
  variables(value: unknown): Json;
  /**
   * The proxy adds `location: {ipAddress}` (documents located by the shopper's IP, not an address) unless
   * the browser chose a postal code.
   */
  ipLocation: boolean;
}

/** The rules per document id (server/operations/documents.ts holds the documents). */
export const DOCUMENT_RULES: ReadonlyMap<string, DocumentRules> = new Map<string, DocumentRules>([
  [
    PRODUCT_OFFERS,
    {
      ipLocation: true,
      variables(value) {
        const variables = object(value ?? {}, root, ['lineItems', 'location']);
        const location = optional(variables.location, (v) => postalCodeLocation(v, at(root, 'location')));
        return {
          lineItems: lines(variables.lineItems, at(root, 'lineItems'), offerLineItem),
          ...(location ? {location} : {}),
        };
      },
    },
  ],
  [
    CHECKOUT_OFFERS,
    {
      ipLocation: false,
      variables(value) {
        const variables = object(value ?? {}, root, ['lineItems', 'shippingAddress']);
        return {
          lineItems: lines(variables.lineItems, at(root, 'lineItems'), offerLineItem),
          shippingAddress: shippingAddress(variables.shippingAddress, at(root, 'shippingAddress')),
        };
      },
    },
  ],
  [
    DELIVERY_PREVIEW,
    {
      ipLocation: false,
      variables(value) {
        const variables = object(value ?? {}, root, ['products', 'shippingAddress']);
        return {
          products: lines(variables.products, at(root, 'products'), deliveryProduct),
          shippingAddress: shippingAddress(variables.shippingAddress, at(root, 'shippingAddress')),
        };
      },
    },
  ],
]);

/** `IdentityTokenInput` as the API takes it. */
export type IdentityTokenInput =
  | {lwaAccessToken: {value: string; externalId?: string}}
  | {apayCheckoutSessionId: {value: string; externalId: string}};

const TOKEN = /^[\x21-\x7e]+$/;

/** The shopper token header as an identity: 1 to 2048 visible ASCII characters. */
export function identityFromHeader(token: string): IdentityTokenInput {
  const where = {field: SHOPPER_TOKEN_HEADER};
  return {lwaAccessToken: {value: string(token, where, 1, MAX_SHOPPER_TOKEN_LENGTH, TOKEN)}};
}

/** An identity returned by the merchant's hook, checked like one from the browser. */
export function checkIdentity(value: unknown): IdentityTokenInput {
  const where = {field: 'shopperIdentity'};
  const identity = object(value, where, ['lwaAccessToken', 'apayCheckoutSessionId']);
  if (Object.keys(identity).length !== 1)
    fail(where, 'must have exactly one of lwaAccessToken, apayCheckoutSessionId');
  if (identity.lwaAccessToken !== undefined) {
    const lwaWhere = at(where, 'lwaAccessToken');
    const lwa = object(identity.lwaAccessToken, lwaWhere, ['value', 'externalId']);
    const externalId = optional(lwa.externalId, (v) =>
      string(v, at(lwaWhere, 'externalId'), 1, MAX_EXTERNAL_ID_LENGTH),
    );
    return {
      lwaAccessToken: {
        value: string(lwa.value, at(lwaWhere, 'value'), 1, MAX_SHOPPER_TOKEN_LENGTH, TOKEN),
        ...(externalId ? {externalId} : {}),
      },
    };
  }
  const apayWhere = at(where, 'apayCheckoutSessionId');
  const apay = object(identity.apayCheckoutSessionId, apayWhere, ['value', 'externalId']);
  return {
    apayCheckoutSessionId: {
      value: string(apay.value, at(apayWhere, 'value'), 1, 256, TOKEN),
      externalId: string(apay.externalId, at(apayWhere, 'externalId'), 1, MAX_EXTERNAL_ID_LENGTH),
    },
  };
}

/** Nesting depth of a JSON text, counted without parsing it (so a deep document costs no recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) deepest = Math.max(deepest, ++depth);
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return deepest;
}

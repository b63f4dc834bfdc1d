// Validation of the variables the browser may set; anything else is refused before any upstream call.

export const MAX_LINE_ITEMS = 40;
export const MAX_SKU_LENGTH = 255;
export const MAX_QUANTITY = 999;

export class InvalidRequest extends Error {}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function only(value: Record<string, unknown>, keys: readonly string[], where: string) {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new InvalidRequest(`${where}.${key} is not allowed`);
  }
}

function identifierString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SKU_LENGTH) {
    throw new InvalidRequest(`${where} must be a string of 1 to ${MAX_SKU_LENGTH} characters`);
  }
  return value;
}

function product(value: unknown, where: string) {
  if (!isRecord(value)) throw new InvalidRequest(`${where} must be an object`);
  only(value, ['productId', 'identifier'], where);
  if ('productId' in value && !('identifier' in value)) {
    return {productId: identifierString(value.productId, `${where}.productId`)};
  }
  const identifier = value.identifier;
  if (!isRecord(identifier)) throw new InvalidRequest(`${where}.identifier must be an object`);
  only(identifier, ['sku', 'productId', 'externalId'], `${where}.identifier`);
  const keys = Object.keys(identifier);
  if (keys.length !== 1)
    throw new InvalidRequest(`${where}.identifier must have exactly one of sku, productId, externalId`);
  const key = keys[0]!;
  return {identifier: {[key]: identifierString(identifier[key], `${where}.identifier.${key}`)}};
}

function amount(value: unknown, where: string) {
  if (value === undefined) return {unit: 'ONE', value: 1};
  if (!isRecord(value)) throw new InvalidRequest(`${where} must be an object`);
  only(value, ['unit', 'value'], where);
  if (value.unit !== undefined && value.unit !== 'ONE') throw new InvalidRequest(`${where}.unit must be ONE`);
  const quantity = value.value;
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > MAX_QUANTITY
  ) {
    throw new InvalidRequest(`${where}.value must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  return {unit: 'ONE', value: quantity};
}

function deliveryTerms(value: unknown, where: string) {
  if (value === undefined) return undefined;
  if (!isRecord(value)) throw new InvalidRequest(`${where} must be an object`);
  only(value, ['isPrimeEligible'], where);
  if (typeof value.isPrimeEligible !== 'boolean')
    throw new InvalidRequest(`${where}.isPrimeEligible must be a boolean`);
  return {isPrimeEligible: value.isPrimeEligible};
}

/** The `lineItems` variable of an offers document, rebuilt from only what is allowed. */
export function validateLineItems(value: unknown) {
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_LINE_ITEMS) {
    throw new InvalidRequest(`lineItems must be an array of 1 to ${MAX_LINE_ITEMS} items`);
  }
  return value.map((item, index) => {
    const where = `lineItems[${index}]`;
    if (!isRecord(item)) throw new InvalidRequest(`${where} must be an object`);
    only(item, ['product', 'amount', 'deliveryTerms'], where);
    const terms = deliveryTerms(item.deliveryTerms, `${where}.deliveryTerms`);
    return {
      product: product(item.product, `${where}.product`),
      amount: amount(item.amount, `${where}.amount`),
      ...(terms ? {deliveryTerms: terms} : {}),
    };
  });
}

/** Variables of the product offers document: the browser sets only lineItems. */
export function validateProductOffersVariables(variables: unknown) {
  if (!isRecord(variables)) throw new InvalidRequest('variables must be an object');
  only(variables, ['lineItems'], 'variables');
  return {lineItems: validateLineItems(variables.lineItems)};
}

// The demo MERCHANT BACKEND (not the public proxy): places the shopper's checkout selection as a sandbox order.
import {ClientError, GraphQLClient} from 'graphql-request';
import {Hono} from 'hono';
import {
  ADDRESS_FIELDS,
  MAX_LINES,
  MAX_QUANTITY,
  SHOPPER_TOKEN_HEADER,
  type CheckoutSelection,
  type Money,
  type SelectedLine,
  type ShippingAddress,
} from '../../src/api/protocol.ts';
import {classify, type UpstreamError} from '../proxy/errors.ts';
import {createTokenSource} from '../proxy/token.ts';
import {identityFromHeader} from '../proxy/validate.ts';
import {SANDBOX_DEFAULTS, type FetchHandler} from '../sandbox/sandbox.ts';

export interface DemoOrdersOptions {
  /** The sandbox (or any Buy with Prime API) as a fetch handler: POST /token and POST /graphql. */
  sandbox: FetchHandler;
  clientId?: string;
  clientSecret?: string;
  targetId?: string;
  /** Where the demo backend mounts its routes. */
  basePath?: string;
  /** Order fulfilment state: the demo starts fulfilment at once. */
  desiredExecutionState?: 'STARTED' | 'NOT_STARTED';
  now?: () => number;
}

/** A line of the selection as the order needs it (what the shopper was shown is not sent on). */
type OrderLine = Omit<SelectedLine, 'messageText' | 'deliveryPrice'>;

/** What the browser sends: the element's selection; `mode` forces one mutation. */
interface PlaceOrderBody {
  selection: Omit<CheckoutSelection, 'lines'> & {lines: OrderLine[]};
  mode?: 'offer' | 'lines';
}

/** Codes the demo backend answers with: a closed set; never the upstream's text. */
export type OrderErrorCode =
  | 'invalid_request'
  | 'sign_in_required'
  | 'address_mismatch'
  | 'offer_expired'
  | 'not_eligible'
  | 'invalid_address'
  | 'not_found'
  | 'unavailable';

const MESSAGES: Record<OrderErrorCode, string> = {
  invalid_request: 'The order request is not valid.',
  sign_in_required: 'Sign in with Amazon to place a Buy with Prime order.',
  address_mismatch: 'The delivery options were made for another address. Check your delivery options again.',
  offer_expired: 'Your delivery option expired. Check your delivery options again.',
  not_eligible: 'An item can no longer be delivered as chosen. Check your delivery options again.',
  invalid_address: 'The shipping address is incomplete or not valid.',
  not_found: 'The order was not found.',
  unavailable: 'Orders cannot be placed right now. Please try again.',
};

const STATUS: Record<OrderErrorCode, 400 | 401 | 404 | 409 | 502> = {
  invalid_request: 400,
  sign_in_required: 401,
  address_mismatch: 409,
  offer_expired: 409,
  not_eligible: 409,
  invalid_address: 400,
  not_found: 404,
  unavailable: 502,
};

class OrderError extends Error {
  constructor(readonly code: OrderErrorCode) {
    super(code);
  }
}

const ORDER_FIELDS = /* GraphQL */ `
  id
  metadata { executionState createdAt }
  recipient { deliveryAddress { name streetAddress locality region postalCode countryCode } }
  totalPrice { value { amount currencyCode } }
  lineItems {
    id
    amount { value }
    product { sku { value } productId { value } title }
    deliveryOffer {
      details {
        id
        deliveryPreviewId
        deliveryProvider
        deliveryTerms { isPrimeEligible deliverySpeed }
        policy { messaging { messageText locale badge } }
        price { totalPrice { amount currencyCode } }
      }
    }
  }
`;

const CREATE_ORDER = /* GraphQL */ `
  mutation CreateOrder($input: CreateOrderInput) {
    createOrder(input: $input) { order { ${ORDER_FIELDS} } }
  }
`;

const CREATE_ORDER_FROM_OFFER = /* GraphQL */ `
  mutation CreateOrderFromOffer($input: CreateOrderFromOfferInput!) {
    createOrderFromOffer(input: $input) { order { ${ORDER_FIELDS} } }
  }
`;

const ORDER = /* GraphQL */ `
  query Order($id: ID) {
    order(id: $id) { ${ORDER_FIELDS} }
  }
`;

/** The order as the demo shows it: what Amazon stored, per line the delivery offer and its promise. */
export interface DemoOrder {
  id: string;
  executionState: string | null;
  shippingAddress: ShippingAddress | null;
  total: Money | null;
  lines: Array<{
    sku: string | null;
    productId: string | null;
    title: string | null;
    quantity: number;
    deliveryOfferId: string | null;
    deliveryPreviewId: string | null;
    isPrimeEligible: boolean;
    badge: string | null;
    messageText: string | null;
    deliveryPrice: Money | null;
  }>;
}

/** The order fields ORDER_FIELDS selects, as graphql-request returns them. */
interface OrderResult {
  id: string;
  metadata?: {executionState?: string | null} | null;
  recipient?: {deliveryAddress?: ShippingAddress | null} | null;
  totalPrice?: {value?: Money | null} | null;
  lineItems?: Array<{
    amount?: {value?: number | null} | null;
    product?: {
      sku?: {value: string} | null;
      productId?: {value: string} | null;
      title?: string | null;
    } | null;
    deliveryOffer?: {
      details?: {
        id?: string | null;
        deliveryPreviewId?: string | null;
        deliveryTerms?: {isPrimeEligible?: boolean | null} | null;
        policy?: {messaging?: {messageText?: string | null; badge?: string | null} | null} | null;
        price?: {totalPrice?: Money | null} | null;
      } | null;
    } | null;
  }> | null;
}

type Json = Record<string, unknown>;

function orderView(order: OrderResult): DemoOrder {
  return {
    id: order.id,
    executionState: order.metadata?.executionState ?? null,
    shippingAddress: order.recipient?.deliveryAddress ?? null,
    total: order.totalPrice?.value ?? null,
    lines: (order.lineItems ?? []).map((line) => {
      const details = line.deliveryOffer?.details ?? {};
      return {
        sku: line.product?.sku?.value ?? null,
        productId: line.product?.productId?.value ?? null,
        title: line.product?.title ?? null,
        quantity: line.amount?.value ?? 0,
        deliveryOfferId: details.id ?? null,
        deliveryPreviewId: details.deliveryPreviewId ?? null,
        isPrimeEligible: details.deliveryTerms?.isPrimeEligible === true,
        badge: details.policy?.messaging?.badge ?? null,
        messageText: details.policy?.messaging?.messageText ?? null,
        deliveryPrice: details.price?.totalPrice ?? null,
      };
    }),
  };
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = 255): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= max;
const isId = (v: unknown) => v === null || isText(v);

/** The shopper's identity from the shopper token header, checked as the proxy checks it. */
function shopperIdentityOf(token: string | undefined) {
  try {
    return identityFromHeader(token ?? '');
  } catch {
    throw new OrderError('sign_in_required');
  }
}

/** The browser's body, checked field by field (it is the shopper's input, so nothing is trusted). */
function parseBody(body: unknown): PlaceOrderBody {
  if (!isRecord(body) || !isRecord(body.selection)) throw new OrderError('invalid_request');
  const {selection, mode} = body;
  if (mode !== undefined && mode !== 'offer' && mode !== 'lines') throw new OrderError('invalid_request');
  const address = selection.shippingAddress;
  if (!isRecord(address) || !ADDRESS_FIELDS.every((f) => isText(address[f], 180)))
    throw new OrderError('invalid_request');
  if (!isId(selection.offerId ?? null)) throw new OrderError('invalid_request');
  const lines = selection.lines;
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_LINES)
    throw new OrderError('invalid_request');
  const parsed = lines.map((line: unknown): OrderLine => {
    if (!isRecord(line)) throw new OrderError('invalid_request');
    const {quantity, isPrimeEligible, deliveryProvider} = line;
    const ids = [line.deliveryPreviewId, line.deliveryOfferId, line.deliverySpeed].map((v) => v ?? null);
    const ok =
      (isText(line.sku) || isText(line.productId)) &&
      typeof quantity === 'number' &&
      Number.isInteger(quantity) &&
      quantity >= 1 &&
      quantity <= MAX_QUANTITY &&
      ids.every(isId) &&
      typeof isPrimeEligible === 'boolean' &&
      (deliveryProvider === 'AMAZON' || deliveryProvider === 'MERCHANT');
    if (!ok) throw new OrderError('invalid_request');
    const [deliveryPreviewId, deliveryOfferId, deliverySpeed] = ids as Array<string | null>;
    return {
      ...(isText(line.sku) ? {sku: line.sku} : {productId: line.productId as string}),
      quantity,
      deliveryPreviewId,
      deliveryOfferId,
      isPrimeEligible,
      deliveryProvider,
      deliverySpeed,
    };
  });
  const shippingAddress = Object.fromEntries(
    ADDRESS_FIELDS.map((f) => [f, address[f]]),
  ) as unknown as ShippingAddress;
  const offerId = isText(selection.offerId) ? selection.offerId : null;
  return {selection: {offerId, shippingAddress, lines: parsed}, mode};
}

/** createOrder's line: Prime lines carry the chosen delivery offer's ids, the others their terms. */
function lineInput(line: OrderLine) {
  const identifier = line.sku ? {sku: line.sku} : {productId: line.productId};
  const prime = line.isPrimeEligible && line.deliveryOfferId && line.deliveryPreviewId;
  return {
    product: {identifier},
    amount: {unit: 'ONE', value: line.quantity},
    selectedDeliveryOffer: {
      details: prime
        ? {
            id: line.deliveryOfferId,
            deliveryPreviewId: line.deliveryPreviewId,
            deliveryProvider: 'AMAZON',
            deliveryTerms: {isPrimeEligible: true},
          }
        : {
            deliveryProvider: line.deliveryProvider,
            deliveryTerms: {isPrimeEligible: false, deliverySpeed: line.deliverySpeed ?? 'Standard'},
          },
    },
  };
}

/** The API's classification of a failed order (the proxy's classify()), as one of the demo backend's codes. */
function codeFor(error: unknown): OrderErrorCode {
  const first = error instanceof ClientError ? error.response.errors?.[0] : undefined;
  const {type, detail} = classify((first ?? {}) as UpstreamError);
  if (type === 'ResourceNotFoundError') return 'not_found';
  switch (detail) {
    case 'AddressMismatch':
      return 'address_mismatch';
    case 'ExpiredOffer':
    case 'ExpiredDeliveryOffer':
      return 'offer_expired';
    case 'InvalidIdpToken':
    case 'ExpiredIdpToken':
      return 'sign_in_required';
    case 'InvalidAddress':
    case 'InvalidDestination':
      return 'invalid_address';
    case 'ItemNotEligible':
    case 'ItemAmountUnavailable':
    case 'ProductAmountUnavailable':
    case 'ProductNotPrimeEnabled':
    case 'ProductOutOfStock':
      return 'not_eligible';
    default:
      return type === 'ValidationError' ? 'invalid_request' : 'unavailable';
  }
}

/**
 * The demo merchant's order endpoint: POST {basePath} places the checkout selection (createOrder with the
 * chosen delivery offers, or createOrderFromOffer with the offer id), GET {basePath}/:id reads the order back.
 * The shopper's Login with Amazon token comes in the shopper token header (x-bwp-shopper-token), as for the proxy.
 * @example
 * const orders = createDemoOrders({sandbox: createSandbox()});
 * const response = await orders(new Request('http://shop/demo/orders', {method: 'POST', body}));
 */
export function createDemoOrders(options: DemoOrdersOptions): FetchHandler {
  const base = options.basePath ?? '/demo/orders';
  const now = options.now ?? Date.now;
  const internal = 'http://sandbox.internal';
  const sandboxFetch: typeof fetch = (input, init) => options.sandbox(new Request(input, init));
  const client = new GraphQLClient(`${internal}/graphql`, {fetch: sandboxFetch});
  const targetId = options.targetId ?? SANDBOX_DEFAULTS.targetId;
  const tokens = createTokenSource({
    tokenUrl: `${internal}/token`,
    clientId: options.clientId ?? SANDBOX_DEFAULTS.clientId,
    clientSecret: options.clientSecret ?? SANDBOX_DEFAULTS.clientSecret,
    fetch: sandboxFetch,
    now,
  });

  // Orders are not idempotent: unlike the proxy's reads, nothing is retried except a refused token (HTTP 401),
  // which the API answers before doing anything.
  async function call<T>(document: string, variables: Json, refreshed = false): Promise<T> {
    let token: string;
    try {
      token = await tokens.get();
    } catch {
      throw new OrderError('unavailable');
    }
    const requestHeaders = {authorization: `Bearer ${token}`, 'x-api-target-id': targetId};
    try {
      return await client.request<T>({document, variables, requestHeaders});
    } catch (error) {
      if (!refreshed && error instanceof ClientError && error.response.status === 401) {
        tokens.invalidate(token);
        return call<T>(document, variables, true);
      }
      throw new OrderError(codeFor(error));
    }
  }

  const app = new Hono();
  const fail = (code: OrderErrorCode) =>
    new Response(JSON.stringify({error: {code, message: MESSAGES[code]}}), {
      status: STATUS[code],
      headers: {'content-type': 'application/json', 'cache-control': 'no-store'},
    });
  const ok = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), {
      status,
      headers: {'content-type': 'application/json', 'cache-control': 'no-store'},
    });

  app.post(base, async (c) => {
    try {
      if (!c.req.header('content-type')?.toLowerCase().startsWith('application/json'))
        throw new OrderError('invalid_request');
      const text = await c.req.text();
      if (text.length > 64_000) throw new OrderError('invalid_request');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new OrderError('invalid_request');
      }
      const {selection, mode} = parseBody(raw);
      const shopperIdentity = shopperIdentityOf(c.req.header(SHOPPER_TOKEN_HEADER));
      const recipient = {deliveryAddress: selection.shippingAddress};
      const desiredExecutionState = options.desiredExecutionState ?? 'STARTED';
      // The shopper's own choice of delivery offers goes in createOrder; the offer as a whole, when nothing
      // was chosen beyond it, in createOrderFromOffer.
      const useOffer =
        mode === 'offer' || (mode === undefined && selection.lines.every((l) => !l.deliveryOfferId));
      let order: OrderResult | null | undefined;
      if (useOffer) {
        if (!selection.offerId) throw new OrderError('invalid_request');
        const data = await call<{createOrderFromOffer?: {order?: OrderResult | null} | null}>(
          CREATE_ORDER_FROM_OFFER,
          {
            input: {baseOfferId: selection.offerId, desiredExecutionState, recipient, shopperIdentity},
          },
        );
        order = data.createOrderFromOffer?.order;
      } else {
        const data = await call<{createOrder?: {order?: OrderResult | null} | null}>(CREATE_ORDER, {
          input: {
            desiredExecutionState,
            recipient,
            shopperIdentity,
            lineItems: selection.lines.map(lineInput),
          },
        });
        order = data.createOrder?.order;
      }
      if (!order?.id) throw new OrderError('unavailable');
      return ok({order: orderView(order)}, 201);
    } catch (error) {
      return fail(error instanceof OrderError ? error.code : 'unavailable');
    }
  });

  app.get(`${base}/:id`, async (c) => {
    try {
      const id = c.req.param('id');
      if (!isText(id, 128)) throw new OrderError('invalid_request');
      const data = await call<{order?: OrderResult | null}>(ORDER, {id});
      if (!data.order) throw new OrderError('not_found');
      return ok({order: orderView(data.order)});
    } catch (error) {
      return fail(error instanceof OrderError ? error.code : 'unavailable');
    }
  });

  app.all(`${base}/*`, () => fail('invalid_request'));
  app.all(base, () => fail('invalid_request'));

  return async (request) => app.fetch(request);
}

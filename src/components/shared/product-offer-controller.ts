import type {ReactiveController, ReactiveControllerHost} from 'lit';
import {Task, TaskStatus} from '@lit/task';
import {clientFor, type ProxyClient} from '../../api/client.js';
import {DOCUMENT_IDS} from '../../api/documents.js';
import {resolveEndpoint} from '../../api/endpoint.js';
import {shopperIdentity} from '../../api/identity.js';
import {normalizeProductOffer, responseError} from '../../api/normalize.js';
import {BwpRequestError, type ErrorCode, type OfferView} from '../../api/types.js';

/** What a product-page element asks for. */
export interface ProductRequest {
  sku: string;
  productId: string;
  quantity: number;
  endpoint: string;
  client?: ProxyClient;
}

type Host = ReactiveControllerHost & HTMLElement;

const errorCode = (error: unknown): ErrorCode =>
  error instanceof BwpRequestError ? error.code : 'unavailable';

/** Fetches the offer for one product whenever its inputs or the shopper change; aborts what is superseded. */
export class ProductOfferController implements ReactiveController {
  /** The last offer shown, kept on screen while a new one loads. */
  last: OfferView | null = null;
  private readonly task: Task<readonly [ProductRequest, string | null], OfferView | null>;

  constructor(
    private readonly host: Host,
    private readonly input: () => ProductRequest,
    callbacks: {onComplete?: (offer: OfferView | null) => void; onError?: (code: ErrorCode) => void} = {},
  ) {
    host.addController(this);
    this.task = new Task(host, {
      onComplete: (offer) => callbacks.onComplete?.(offer),
      onError: (error) => callbacks.onError?.(errorCode(error)),
      args: () => [this.input(), shopperIdentity.token] as const,
      argsEqual: ([a, aToken], [b, bToken]) =>
        aToken === bToken &&
        a.sku === b.sku &&
        a.productId === b.productId &&
        a.quantity === b.quantity &&
        a.endpoint === b.endpoint &&
        a.client === b.client,
      task: async ([request], {signal}) => {
        const identifier = request.sku
          ? {sku: request.sku}
          : request.productId
            ? {productId: request.productId}
            : null;
        if (!identifier) return null;
        const client = request.client ?? clientFor(resolveEndpoint(request.endpoint, host.ownerDocument));
        const quantity = Number.isInteger(request.quantity) && request.quantity > 0 ? request.quantity : 1;
        const response = await client.request(
          DOCUMENT_IDS.productOffers,
          {lineItems: [{product: {identifier}, amount: {unit: 'ONE', value: quantity}}]},
          signal,
        );
        const code = responseError(response);
        if (code) throw new BwpRequestError(code);
        return (this.last = normalizeProductOffer(response));
      },
    });
  }

  get status(): TaskStatus {
    return this.task.status;
  }

  get value(): OfferView | null | undefined {
    return this.task.value;
  }

  /** The error code of the last run, when it failed. */
  get errorCode(): ErrorCode | null {
    return this.task.status === TaskStatus.ERROR ? errorCode(this.task.error) : null;
  }

  hostConnected() {
    shopperIdentity.addEventListener('change', this.handleShopperChange);
  }

  hostDisconnected() {
    shopperIdentity.removeEventListener('change', this.handleShopperChange);
  }

  private handleShopperChange = () => this.host.requestUpdate();
}

/** The reflected `state` of a product-page element. */
export type ElementState = 'loading' | 'ready' | 'empty' | 'error';

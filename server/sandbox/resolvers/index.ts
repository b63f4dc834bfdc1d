// The root value graphql-js executes against: one resolver per documented query and mutation.
import {deliveryPreview, shopperBwPEligibility} from './delivery-preview.ts';
import {offers} from './offers.ts';
import {createOrder, createOrderFromOffer, order} from './orders.ts';

export type {SandboxContext} from './shared.ts';

export const rootValue = {
  offers,
  deliveryPreview,
  shopperBwPEligibility,
  order,
  createOrder,
  createOrderFromOffer,
};

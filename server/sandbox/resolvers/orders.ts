// createOrder, createOrderFromOffer and order(id): orders kept in memory with the delivery promise they were made with.
import {MAX_LINES, MAX_OTHER_LINES, MAX_PRIME_LINES} from '../../../src/api/protocol.ts';
import type {Product} from '../catalog.ts';
import {resourceNotFound, validation} from '../errors.ts';
import {destinationOfAddress, sameAddress, type AddressInput, type Destination} from '../locations.ts';
import {deliveryOptions, filterOptions, primeApplies, type DeliveryOption} from '../quotes.ts';
import {shopperOf, type IdentityInput, type Shopper} from '../shoppers.ts';
import type {IssuedPreview, OrderView} from '../store.ts';
import {issuePreview} from './delivery-preview.ts';
import {deliveryOfferView, issuedOfferFor, productRefOf} from './offers.ts';
import {
  checkQuantity,
  findProduct,
  money,
  productView,
  reversalSummary,
  type SandboxContext,
} from './shared.ts';

interface MoneyInput {
  amount: number;
  currencyCode: string;
}
interface AliasInput {
  aliasType: string;
  aliasId: string;
}
interface ProductViewInput {
  identifier?: Record<string, unknown> | null;
  productId?: string | null;
  title?: string | null;
  price?: {amount?: number | null; currencyCode?: string | null; currentPrice?: MoneyInput | null} | null;
  purchaseGroupMembership?: {
    product: ProductViewInput;
    memberAmount?: {unit?: string | null; value: number} | null;
  } | null;
}
interface TermsInput {
  isPrimeEligible?: boolean | null;
  deliverySpeed?: string | null;
}
interface LineItemInput {
  product?: ProductViewInput | null;
  purchasedProduct?: ProductViewInput | null;
  amount: {unit?: string | null; value: number};
  aliases?: AliasInput[] | null;
  selectedDeliveryOffer: {
    summary?: {
      deliveryProvider: 'AMAZON' | 'MERCHANT';
      deliveryCharge?: MoneyInput | null;
      deliveryMessage?: {messageText: string; locale?: string | null; badge?: string | null} | null;
    } | null;
    details?: {
      id?: string | null;
      deliveryPreviewId?: string | null;
      deliveryProvider: 'AMAZON' | 'MERCHANT';
      deliveryTerms?: TermsInput | null;
      deliveryCharge?: MoneyInput | null;
    } | null;
  };
  taxes?: {summary?: {collectableTaxAmount?: MoneyInput | null} | null} | null;
  discounts?: {summary?: {amount?: MoneyInput | null; displayString?: string | null} | null} | null;
  payments?: {summary?: Record<string, unknown> | null} | null;
}
interface OrderInputCommon {
  desiredExecutionState?: 'STARTED' | 'NOT_STARTED' | null;
  customer?: unknown;
  recipient?: {deliveryAddress?: AddressInput | null} | null;
  aliases?: AliasInput[] | null;
  orderLinks?: {destinationType: string; url: string; displayMessage?: string | null}[] | null;
  totalPrice?: {value?: MoneyInput | null; amount?: number | null; currencyCode?: string | null} | null;
  shopperIdentity?: IdentityInput | null;
  discounts?: LineItemInput['discounts'];
  payments?: LineItemInput['payments'];
}
interface CreateOrderInput extends OrderInputCommon {
  lineItems: LineItemInput[];
  orderTotal?: {totalPrice?: MoneyInput | null} | null;
  taxes?: LineItemInput['taxes'];
}
interface CreateOrderFromOfferInput extends OrderInputCommon {
  baseOfferId: string;
  additionalLineItems?: LineItemInput[] | null;
}

/** A line ready to go into an order. */
interface BuiltLine {
  view: Record<string, unknown> & {id: string; amount: {unit: string; value: number}};
  product?: Product;
  quantity: number;
  prime: boolean;
  amazon: boolean;
  charge: number;
  tax: number;
  discount: number;
}

interface Recipient {
  id: string;
  deliveryAddress: AddressInput;
  destination: Destination;
}

const nothing = {summary: null, details: []};

function requireShopper(identity: IdentityInput | null | undefined, fallback?: Shopper): Shopper {
  const shopper = shopperOf(identity) ?? fallback;
  if (!shopper) {
    throw validation('InvalidIdpToken', 'An order needs shopperIdentity (a sandbox shopper identity token)');
  }
  return shopper;
}

function recipientOf(ctx: SandboxContext, address: AddressInput | null | undefined): Recipient | undefined {
  if (!address) return undefined;
  const destination = destinationOfAddress(address);
  if (!destination.complete) {
    throw validation(
      'InvalidAddress',
      'recipient.deliveryAddress needs streetAddress, locality, region and postalCode',
    );
  }
  return {id: ctx.store.newId('RCP'), deliveryAddress: address, destination};
}

/** The preview must have been made for the address the order ships to (AddressMismatch otherwise). */
function checkPreviewAddress(preview: IssuedPreview, recipient: Recipient) {
  const {address, postalCode} = preview.destination;
  const matches = address?.streetAddress
    ? sameAddress(address, recipient.deliveryAddress)
    : address
      ? postalCode === recipient.destination.postalCode
      : false;
  if (!matches) {
    throw validation('AddressMismatch', 'Input the same address that the delivery preview used', {
      deliveryPreviewId: preview.id,
    });
  }
}

function amountOf(price: ProductViewInput['price']) {
  const amount = price?.amount ?? price?.currentPrice?.amount;
  return amount == null
    ? undefined
    : money(amount, price?.currencyCode ?? price?.currentPrice?.currencyCode ?? 'USD');
}

function productViewOf(ctx: SandboxContext, input: ProductViewInput, product: Product | undefined) {
  const base = product
    ? productView(product)
    : {
        ...productView({
          productId: '',
          sku: '',
          title: '',
          price: {amount: 0, currencyCode: 'USD'},
        } as Product),
        title: null,
        price: null,
        offerPrime: false,
      };
  const membership = input.purchaseGroupMembership;
  let group = null;
  if (membership) {
    const ref = productRefOf(membership.product, 'purchaseGroupMembership.product');
    const bundle = ctx.catalog.find(ref);
    group = {
      product: {
        ...(bundle ? productView(bundle) : {}),
        ...(membership.product.title ? {title: membership.product.title} : {}),
        ...(amountOf(membership.product.price) ? {price: amountOf(membership.product.price)} : {}),
      },
      memberAmount: membership.memberAmount
        ? {unit: membership.memberAmount.unit ?? 'ONE', value: membership.memberAmount.value}
        : null,
    };
  }
  return {
    ...base,
    ...(input.title ? {title: input.title} : {}),
    ...(amountOf(input.price) ? {price: amountOf(input.price)} : {}),
    purchaseGroupMembership: group,
  };
}

/** The delivery option of an AMAZON line: the preview's offer when ids are given, else one generated from the terms. */
function amazonOption(
  ctx: SandboxContext,
  details: NonNullable<LineItemInput['selectedDeliveryOffer']['details']>,
  product: Product,
  quantity: number,
  recipient: Recipient,
  shopper: Shopper,
  where: string,
) {
  const hasIds = details.id != null || details.deliveryPreviewId != null;
  if (hasIds && (details.id == null || details.deliveryPreviewId == null)) {
    throw validation(
      'InvalidInput',
      `${where}: give both deliveryPreviewId and id of the chosen delivery offer`,
    );
  }
  const wantsPrime = details.deliveryTerms?.isPrimeEligible ?? hasIds;
  if (hasIds) {
    const preview = ctx.store.previews.get(details.deliveryPreviewId!);
    if (!preview) throw resourceNotFound(`No delivery preview ${details.deliveryPreviewId}`);
    const group = preview.groups.find((g) => g.offers.some((o) => o.id === details.id));
    const issued = group?.offers.find((o) => o.id === details.id);
    if (!group || !issued) {
      throw resourceNotFound(`No delivery offer ${details.id} in delivery preview ${preview.id}`);
    }
    if (!group.products.some((p) => p.product === product)) {
      throw validation('InvalidInput', `${where}: ${product.sku} is not in delivery offer ${issued.id}`);
    }
    if (issued.expiresAt && issued.expiresAt.getTime() <= ctx.now().getTime()) {
      throw validation(
        'ExpiredDeliveryOffer',
        `Delivery offer ${issued.id} expired; generate a new delivery preview`,
      );
    }
    checkPreviewAddress(preview, recipient);
    if (wantsPrime && !issued.option.isPrimeEligible) {
      throw validation(
        'ItemNotEligible',
        `${where}: delivery offer ${issued.id} is not a Prime delivery offer`,
      );
    }
    return {
      option: issued.option,
      ids: {id: issued.id, deliveryPreviewId: preview.id, expiresAt: issued.expiresAt},
    };
  }
  // "If a delivery offer is not generated previously, one will be generated based on the provided terms."
  const quote = {now: ctx.now(), destination: recipient.destination, shopper};
  if (wantsPrime && !primeApplies(product, quote)) {
    throw validation('ItemNotEligible', `${where}: ${product.sku} cannot be delivered with Prime`, {
      itemId: product.sku,
    });
  }
  const speed = {deliverySpeed: details.deliveryTerms?.deliverySpeed};
  const option = filterOptions(deliveryOptions(product, quote, wantsPrime), speed)[0];
  if (!option)
    throw validation(
      'InvalidInput',
      `${where}: no delivery offer matches deliverySpeed ${speed.deliverySpeed}`,
    );
  if (!wantsPrime) return {option, ids: {id: null, deliveryPreviewId: null, expiresAt: null}};
  const item = {product, quantity, ref: {sku: product.sku}};
  const preview = issuePreview(ctx, [item], recipient.destination, shopper, {isPrimeEligible: true});
  const issued = issuedOfferFor(preview, item, option)!;
  return {option, ids: {id: issued.id, deliveryPreviewId: preview.id, expiresAt: issued.expiresAt}};
}

function buildLine(
  ctx: SandboxContext,
  input: LineItemInput,
  where: string,
  recipient: Recipient | undefined,
  shopper: Shopper,
): BuiltLine {
  if (input.product && input.purchasedProduct)
    throw validation('InvalidInput', `${where}: product or purchasedProduct, not both`);
  const productInput = input.product ?? input.purchasedProduct;
  if (!productInput) throw validation('InvalidInput', `${where} needs product`);
  const {summary, details} = input.selectedDeliveryOffer;
  if (Boolean(summary) === Boolean(details)) {
    throw validation('InvalidInput', `${where}.selectedDeliveryOffer takes summary or details, never both`);
  }
  const provider = (summary ?? details)!.deliveryProvider;
  const ref = productRefOf(productInput as never, `${where}.product`);
  const unit = input.amount.unit ?? 'ONE';
  const id = ctx.store.newId('LI');
  const createdAt = ctx.now().toISOString();
  let product = ctx.catalog.find(ref);
  let quantity = input.amount.value;
  let deliveryOffer: Record<string, unknown>;
  let prime = false;
  let charge = 0;

  if (provider === 'AMAZON') {
    if (!details)
      throw validation('InvalidInput', `${where}: Amazon delivery takes selectedDeliveryOffer.details`);
    if (!recipient)
      throw validation('InvalidAddress', 'An order delivered by Amazon needs recipient.deliveryAddress');
    product = findProduct(ctx, ref);
    quantity = checkQuantity(ctx, product, quantity);
    const {option, ids} = amazonOption(ctx, details, product, quantity, recipient, shopper, where);
    deliveryOffer = deliveryOfferView(option as DeliveryOption, ids, {
      recipient: {id: recipient.id, deliveryAddress: recipient.deliveryAddress},
    });
    prime = option.isPrimeEligible;
    charge = option.price;
  } else {
    if (!Number.isInteger(quantity) || quantity < 1)
      throw validation('InvalidInput', `${where}.amount.value must be a positive whole number`);
    const chargeInput = summary?.deliveryCharge ?? details?.deliveryCharge;
    charge = chargeInput?.amount ?? 0;
    const message = summary?.deliveryMessage
      ? {
          messageText: summary.deliveryMessage.messageText,
          locale: summary.deliveryMessage.locale ?? 'en-US',
          badge: 'NONE',
        }
      : null;
    const merchantSummary = {
      deliveryMessage: message,
      deliveryCharge: chargeInput ? money(chargeInput.amount, chargeInput.currencyCode) : null,
      deliveryProvider: 'MERCHANT',
      deliveryTerms: null,
      taxes: null,
      discounts: [],
      deliveryOfferFor: null,
    };
    deliveryOffer = {
      summary: summary ? merchantSummary : null,
      deliveryOfferSummary: summary ? merchantSummary : null,
      details: details
        ? {
            id: null,
            deliveryPreviewId: null,
            deliveryProvider: 'MERCHANT',
            date: null,
            deliveryTerms: {
              isPrimeEligible: false,
              deliverySpeed: details.deliveryTerms?.deliverySpeed ?? null,
            },
            policy: null,
            price: chargeInput
              ? {totalPrice: money(chargeInput.amount, chargeInput.currencyCode), rollupPrices: []}
              : null,
            recipient: recipient ? {id: recipient.id, deliveryAddress: recipient.deliveryAddress} : null,
            discounts: null,
            taxes: null,
            deliveryOfferFor: null,
            expiresAt: null,
          }
        : null,
    };
  }

  const tax = input.taxes?.summary?.collectableTaxAmount;
  const discount = input.discounts?.summary?.amount;
  const view = {
    id,
    aliases: input.aliases ?? [],
    amount: {unit, value: quantity},
    createdAt,
    product: productViewOf(ctx, productInput, product),
    deliveryOffer,
    reversalOffers: {summary: product ? reversalSummary(product) : null},
    packageInformation: {summary: {state: 'NOT_SHIPPED'}, details: []},
    payments: input.payments?.summary ? {summary: input.payments.summary, details: []} : nothing,
    taxes: tax ? {summary: {collectableTaxAmount: money(tax.amount, tax.currencyCode)}} : null,
    discounts: discount ? {summary: input.discounts!.summary, details: []} : null,
    cancellations: {details: []},
  };
  linkDeliveryOffer(view);
  return {
    view,
    product,
    quantity,
    prime,
    amazon: provider === 'AMAZON',
    charge,
    tax: tax?.amount ?? 0,
    discount: discount?.amount ?? 0,
  };
}

/** deliveryOfferFor: the line (and amount) a line's delivery offer is for. */
function linkDeliveryOffer(view: {amount: unknown; deliveryOffer?: unknown}) {
  const offer = view.deliveryOffer as {
    summary?: Record<string, unknown> | null;
    details?: Record<string, unknown> | null;
  } | null;
  const link = {orderLineItemAmounts: [{lineItem: view, amount: view.amount}]};
  if (offer?.summary) offer.summary.deliveryOfferFor = link;
  if (offer?.details) offer.details.deliveryOfferFor = link;
}

function checkAliases(ctx: SandboxContext, aliases: AliasInput[] | null | undefined) {
  if ((aliases?.length ?? 0) > 5) throw validation('InvalidInput', 'An order takes at most 5 aliases');
  for (const alias of aliases ?? []) {
    for (const order of ctx.store.orders.values()) {
      if (order.aliases.some((a) => a.aliasType === alias.aliasType && a.aliasId === alias.aliasId)) {
        throw validation(
          'AliasValueAlreadyExists',
          `Alias ${alias.aliasType}:${alias.aliasId} is already used by an order`,
        );
      }
    }
  }
}

function checkLineLimits(lines: {prime: boolean}[]) {
  const prime = lines.filter((l) => l.prime).length;
  const other = lines.length - prime;
  if (prime > MAX_PRIME_LINES || other > MAX_OTHER_LINES) {
    throw validation(
      'LineItemLimitExceeded',
      `An order takes at most ${MAX_PRIME_LINES} items eligible for Buy with Prime and ${MAX_OTHER_LINES} that aren't (got ${prime} and ${other})`,
      {primeItems: prime, otherItems: other},
    );
  }
}

function placeOrder(
  ctx: SandboxContext,
  input: OrderInputCommon & {orderTotal?: CreateOrderInput['orderTotal']},
  lines: BuiltLine[],
  shopper: Shopper,
  recipient: Recipient | undefined,
): OrderView {
  checkLineLimits(lines);
  for (const line of lines) if (line.amazon && line.product) checkQuantity(ctx, line.product, line.quantity);
  for (const line of lines) if (line.amazon && line.product) ctx.store.take(line.product, line.quantity);

  const price = (l: BuiltLine) =>
    ((l.view.product as {price?: {amount: number} | null}).price?.amount ?? 0) * l.quantity;
  const subTotal = lines.reduce((sum, l) => sum + price(l), 0);
  const shipping = lines.reduce((sum, l) => sum + l.charge, 0);
  const tax = lines.reduce((sum, l) => sum + l.tax, 0);
  const discount =
    lines.reduce((sum, l) => sum + l.discount, 0) + (input.discounts?.summary?.amount?.amount ?? 0);
  const computed = subTotal + shipping + tax - discount;
  const given =
    input.totalPrice?.value?.amount ??
    input.totalPrice?.amount ??
    input.orderTotal?.totalPrice?.amount ??
    undefined;
  const now = ctx.now().toISOString();
  const order: OrderView = {
    id: ctx.store.newId('ORDER'),
    aliases: input.aliases ?? [],
    customer: {bwpCustomerId: shopper.shopperId},
    recipient: recipient ? {id: recipient.id, deliveryAddress: recipient.deliveryAddress} : null,
    lineItems: lines.map((l) => l.view),
    taxes: tax ? {summary: {collectableTaxAmount: money(tax)}} : null,
    discounts: input.discounts?.summary ? {summary: input.discounts.summary, details: []} : null,
    totalPrice: {
      rollupCharges: [
        {rollupChargeType: 'ORDER_SUB_TOTAL', displayString: 'Items', value: money(subTotal)},
        {rollupChargeType: 'ORDER_SHIPPING', displayString: 'Shipping', value: money(shipping)},
        {rollupChargeType: 'ORDER_TAX', displayString: 'Tax', value: money(tax)},
        ...(discount
          ? [{rollupChargeType: 'DISCOUNT', displayString: 'Discounts', value: money(discount)}]
          : []),
      ],
      value: money(given ?? computed),
      verified: given === undefined || Math.abs(given - computed) < 0.005,
    },
    payments: input.payments?.summary ? {summary: input.payments.summary, details: []} : nothing,
    refunds: nothing,
    returns: {details: []},
    metadata: {executionState: input.desiredExecutionState ?? 'NOT_STARTED', createdAt: now, updatedAt: now},
    orderLinks: (input.orderLinks ?? []).map((l) => ({...l, displayMessage: l.displayMessage ?? null})),
  };
  ctx.store.orders.set(order.id, order);
  return order;
}

export function createOrder(args: {input?: CreateOrderInput | null}, ctx: SandboxContext) {
  const input = args.input;
  if (!input) throw validation('InvalidInput', 'createOrder needs input');
  if (input.lineItems.length === 0) throw validation('InvalidInput', 'lineItems must not be empty');
  if (input.lineItems.length > MAX_LINES) {
    throw validation('LineItemLimitExceeded', `An order takes at most ${MAX_LINES} line items`, {
      limit: MAX_LINES,
    });
  }
  checkAliases(ctx, input.aliases);
  const shopper = requireShopper(input.shopperIdentity);
  const recipient = recipientOf(ctx, input.recipient?.deliveryAddress);
  const lines = input.lineItems.map((line, i) => buildLine(ctx, line, `lineItems[${i}]`, recipient, shopper));
  return {order: placeOrder(ctx, input, lines, shopper, recipient)};
}

export function createOrderFromOffer(args: {input: CreateOrderFromOfferInput}, ctx: SandboxContext) {
  const {input} = args;
  const offer = ctx.store.offers.get(input.baseOfferId);
  if (!offer) throw resourceNotFound(`No offer ${input.baseOfferId}`);
  if (offer.expiresAt.getTime() <= ctx.now().getTime()) {
    throw validation(
      'ExpiredOffer',
      `Offer ${offer.id} expired at ${offer.expiresAt.toISOString()}; generate new offers`,
    );
  }
  checkAliases(ctx, input.aliases);
  const shopper = requireShopper(input.shopperIdentity, offer.shopper);
  if (!offer.destination.complete || !offer.destination.address) {
    throw validation(
      'InvalidAddress',
      'The offer was generated without a full shipping address; generate offers with it',
    );
  }
  const given = input.recipient?.deliveryAddress;
  if (given && !sameAddress(given, offer.destination.address)) {
    throw validation('AddressMismatch', 'Input the same address that the offer used');
  }
  const recipient: Recipient = {
    id: ctx.store.newId('RCP'),
    deliveryAddress: offer.destination.address,
    destination: offer.destination,
  };
  const extra = input.additionalLineItems ?? [];
  if (offer.lines.length + extra.length > MAX_LINES) {
    throw validation('LineItemLimitExceeded', `An order takes at most ${MAX_LINES} line items`, {
      limit: MAX_LINES,
    });
  }
  const createdAt = ctx.now().toISOString();
  const fromOffer = offer.lines.map((line, i): BuiltLine => {
    if (!line.option)
      throw validation('InvalidInput', `lineItems[${i}] of offer ${offer.id} has no delivery offer`);
    // The promise becomes persistent within the order: a copy, so later offers cannot change it.
    const view: BuiltLine['view'] = {...(structuredClone(line.view) as BuiltLine['view']), createdAt};
    const details = (view.deliveryOffer as {details: Record<string, unknown>}).details;
    details.recipient = {id: recipient.id, deliveryAddress: recipient.deliveryAddress};
    linkDeliveryOffer(view);
    return {
      view,
      product: line.product,
      quantity: line.quantity,
      prime: line.option.isPrimeEligible,
      amazon: true,
      charge: line.option.price,
      tax: 0,
      discount: 0,
    };
  });
  const added = extra.map((line, i) => buildLine(ctx, line, `additionalLineItems[${i}]`, recipient, shopper));
  return {order: placeOrder(ctx, input, [...fromOffer, ...added], shopper, recipient)};
}

export function order(
  args: {id?: string | null; orderIdentifier?: {id?: string | null; alias?: AliasInput | null} | null},
  ctx: SandboxContext,
) {
  const id = args.id ?? args.orderIdentifier?.id;
  const alias = args.orderIdentifier?.alias;
  if (id == null && !alias) throw validation('InvalidInput', 'order needs id or orderIdentifier');
  const found =
    id != null
      ? ctx.store.orders.get(id)
      : [...ctx.store.orders.values()].find((o) =>
          o.aliases.some((a) => a.aliasType === alias!.aliasType && a.aliasId === alias!.aliasId),
        );
  if (!found) throw resourceNotFound(`No order ${id ?? `${alias!.aliasType}:${alias!.aliasId}`}`);
  return found;
}

// The shopper's delivery choice per group: carried from one view to the next, and when it expires.
import {
  lineChoice,
  sameChoice,
  type CheckoutLineInput,
  type CheckoutView,
  type DeliveryChoice,
} from '../../api/checkout.js';
import {lostNotice} from './copy.js';

/** The view on screen with its chosen offer per group. */
export interface Chosen {
  inputs: readonly CheckoutLineInput[];
  view: CheckoutView | null;
  chosen: readonly DeliveryChoice[];
}

const keyOf = (line: CheckoutLineInput | undefined) => line?.sku ?? line?.productId;

/** The choice a line had in an earlier view (its group's choice), found by its SKU or product id. */
function chosenFor(previous: Chosen, key: string | undefined): DeliveryChoice | null {
  const index = previous.inputs.findIndex((line) => keyOf(line) === key);
  const group = index < 0 || !previous.view ? null : previous.view.lineGroups[index];
  return group === null || group === undefined ? null : (previous.chosen[group] ?? null);
}

/**
 * Each group's choice in a new view: the shopper's earlier one while it is still offered, else the
 * first offer, with a notice for each choice that is gone (`expired` says why it was refetched).
 */
export function carryChoices(
  view: CheckoutView,
  inputs: readonly CheckoutLineInput[],
  previous: Chosen | null,
  expired: boolean,
): {chosen: DeliveryChoice[]; notice: string} {
  const notices: string[] = [];
  const chosen = view.groups.map((group) => {
    const before = previous ? chosenFor(previous, keyOf(inputs[group.lineIndexes[0]!])) : null;
    const kept = before ? group.offers.find((offer) => sameChoice(offer, before)) : undefined;
    const next = kept ?? group.offers[0]!;
    if (before && !kept) notices.push(lostNotice(before, next, expired));
    return next;
  });
  return {chosen, notice: notices.join(' ')};
}

/** When the offer or the first chosen delivery offer expires (ms since the epoch), or null. */
export function soonestExpiry({inputs, view, chosen}: Chosen): number | null {
  if (!view) return null;
  const expiries = inputs
    .map((_, i) => lineChoice(view, chosen, i)?.expiresAt ?? null)
    .concat(view.expiresAt ?? [])
    .filter((t): t is number => t !== null);
  return expiries.length ? Math.min(...expiries) : null;
}

import type {Money} from '../../api/protocol.js';

/** A delivery price in its currency and the page's language; a free delivery says FREE. */
export function formatPrice(price: Money, lang: string | undefined): string {
  if (price.amount === 0) return 'FREE';
  try {
    return new Intl.NumberFormat(lang, {style: 'currency', currency: price.currencyCode}).format(
      price.amount,
    );
  } catch {
    // An unknown currency code or language tag: still say the amount.
    return `${price.amount} ${price.currencyCode}`;
  }
}

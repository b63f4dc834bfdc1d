// Delivery dates for the sandbox, computed from an injected clock (Amazon computes them; the elements never do).

const DAY = 86_400_000;

export interface DeliveryEstimate {
  earliest: Date;
  latest: Date;
  /** Amazon's promise wording, e.g. "Get it as soon as Tuesday, Nov 24". */
  messageText: string;
}

const format = new Intl.DateTimeFormat('en-US', {
  weekday: 'long',
  month: 'short',
  day: 'numeric',
  timeZone: 'America/Los_Angeles',
});

function addBusinessDays(from: Date, days: number): Date {
  let date = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    date = new Date(date.getTime() + DAY);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return date;
}

/** Prime ships in 2 business days, standard in 5 to 7. */
export function estimateDelivery(now: Date, prime: boolean): DeliveryEstimate {
  const earliest = addBusinessDays(now, prime ? 2 : 5);
  const latest = prime ? earliest : addBusinessDays(now, 7);
  return {earliest, latest, messageText: `Get it as soon as ${format.format(earliest)}`};
}

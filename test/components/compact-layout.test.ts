import {expect, fixture, html} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import {fakeProxy, offerResponse, whenState} from './fake-proxy.js';

const WIDTHS = [140, 180, 240, 320, 400];

// The sandbox's own wording. A computed path, so the browser type-check does not walk the server code
// (its `.ts` imports are Node's); the test runner serves the module like any other.
const SANDBOX_DATES = '../../server/sandbox/dates.ts';
const {deliveryMessage} = (await import(SANDBOX_DATES)) as {
  deliveryMessage: (
    window: {first: Date; last: Date; earliest: Date; latest: Date},
    exact: boolean,
  ) => string;
};
const DAY = 86_400_000;

/**
 * The sandbox's own wordings, every day of a leap year (every weekday and month name), as a single
 * day and as ranges up to a week: the ones with the most characters, the widest of them in this
 * engine's font.
 */
function longestPromises(): string[] {
  const start = Date.UTC(2028, 0, 1);
  const all = new Set<string>();
  for (let day = 0; day < 366; day++) {
    const first = new Date(start + day * DAY);
    all.add(deliveryMessage({first, last: first, earliest: first, latest: first}, false));
    for (let span = 1; span <= 7; span++) {
      const last = new Date(first.getTime() + span * DAY);
      all.add(deliveryMessage({first, last, earliest: first, latest: last}, true));
    }
  }
  const byLength = [...all].sort((a, b) => b.length - a.length);
  return byLength.filter((m) => m.length >= byLength[0]!.length - 2);
}

function widest(messages: string[], font: string): string {
  const context = document.createElement('canvas').getContext('2d')!;
  context.font = font;
  return messages.reduce((best, m) =>
    context.measureText(m).width > context.measureText(best).width ? m : best,
  );
}

describe('<bwp-delivery-badge variant="compact"> on product cards', () => {
  it('shows the longest promise the sandbox words whole, inside cards 140 to 400 px wide, and nothing moves when it arrives', async () => {
    const proxy = fakeProxy();
    const grid = await fixture<HTMLElement>(
      html`<div style="font: 16px/1.4 sans-serif">
        ${WIDTHS.map(
          (width) =>
            html`<div class="card" style="inline-size: ${width}px; box-sizing: border-box">
              <p style="margin: 0">Product</p>
              <bwp-delivery-badge
                variant="compact"
                sku="A${width}"
                .client=${proxy.client}
              ></bwp-delivery-badge>
              <p class="below" style="margin: 0">$24.00</p>
            </div>`,
        )}
      </div>`,
    );
    const cards = [...grid.querySelectorAll<HTMLElement>('.card')];
    const badges = cards.map((card) => card.querySelector<BwpDeliveryBadge>('bwp-delivery-badge')!);
    // From the longhands: not every engine serializes the computed \`font\` shorthand.
    const style = getComputedStyle(badges[0]!);
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const message = widest(longestPromises(), font);
    expect(message).to.match(/^Get it \w+day, \w{3} \d+ – \w+day, \w{3} \d+$/);

    const call = await proxy.next();
    const loading = cards.map((card) => card.querySelector('.below')!.getBoundingClientRect().top);
    call.respond((call.body as unknown[]).map(() => offerResponse({message})));
    await Promise.all(badges.map((badge) => whenState(badge, 'ready')));

    badges.forEach((badge, i) => {
      const width = WIDTHS[i];
      const card = cards[i]!.getBoundingClientRect();
      const text = badge.shadowRoot!.querySelector<HTMLElement>('[part="delivery"]')!;
      const box = text.getBoundingClientRect();
      expect(text.textContent, `${width}px`).to.equal(message);
      expect(getComputedStyle(text).textOverflow, `${width}px`).to.not.equal('ellipsis');
      expect(text.scrollWidth, `${width}px: not clipped`).to.be.at.most(text.clientWidth);
      expect(text.scrollHeight, `${width}px: not clipped`).to.be.at.most(text.clientHeight);
      expect(box.left, `${width}px: inside the card`).to.be.at.least(card.left - 0.5);
      expect(box.right, `${width}px: inside the card`).to.be.at.most(card.right + 0.5);
      expect(badge.getBoundingClientRect().bottom, `${width}px`).to.be.at.most(
        cards[i]!.querySelector('.below')!.getBoundingClientRect().top + 0.5,
      );
      expect(
        cards[i]!.querySelector('.below')!.getBoundingClientRect().top,
        `${width}px: what is below did not move`,
      ).to.equal(loading[i]);
    });
    await expect(grid).to.be.accessible();
  });
});

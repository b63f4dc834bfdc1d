import {expect, fixture} from '@open-wc/testing';
import {emulateMedia} from '@web/test-runner-commands';
import '../../src/components/delivery-badge/define.js';
import '../../src/components/offer-summary/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import type {BwpOfferSummary} from '../../src/components/offer-summary/offer-summary.js';
import {fakeProxy, offerResponse, whenState} from './fake-proxy.js';

/** A sheet on the page, as a merchant's stylesheet would be (adopted: no inline style needed). */
function pageStyles(text: string) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => (document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet));
}

async function ready<T extends BwpDeliveryBadge | BwpOfferSummary>(
  tag: 'bwp-delivery-badge' | 'bwp-offer-summary',
) {
  const proxy = fakeProxy();
  const el = await fixture<T>(`<${tag} sku="A1"></${tag}>`);
  el.client = proxy.client;
  (await proxy.next()).respond(offerResponse());
  await whenState(el, 'ready');
  return el;
}

const mark = (el: Element) => {
  const svg = el.shadowRoot!.querySelector('[part="badge"]')!;
  return {
    check: getComputedStyle(svg.querySelector('path')!).stroke,
    word: getComputedStyle(svg.querySelector('text')!).fill,
  };
};

describe('theming', () => {
  it('takes the system token, and the component token over it', async () => {
    const el = await ready<BwpDeliveryBadge>('bwp-delivery-badge');
    const text = el.shadowRoot!.querySelector('[part="delivery"]')!;
    const undo = pageStyles('bwp-delivery-badge { --bwp-color-text: rgb(1, 2, 3); }');
    try {
      expect(getComputedStyle(text).color).to.equal('rgb(1, 2, 3)');
      el.style.setProperty('--bwp-delivery-badge-color', 'rgb(4, 5, 6)');
      expect(getComputedStyle(text).color).to.equal('rgb(4, 5, 6)');
    } finally {
      undo();
    }
  });

  it('keeps the Prime badge’s colours whatever tokens and parts say', async () => {
    const el = await ready<BwpDeliveryBadge>('bwp-delivery-badge');
    const brand = mark(el);
    expect(brand).to.deep.equal({check: 'rgb(255, 153, 0)', word: 'rgb(0, 168, 225)'});
    const undo = pageStyles(`
      bwp-delivery-badge { --bwp-color-text: red; --bwp-delivery-badge-color: red; color: red; }
      bwp-delivery-badge::part(badge) { fill: red; stroke: red; color: red; }`);
    try {
      expect(mark(el)).to.deep.equal(brand);
    } finally {
      undo();
    }
  });

  it('follows a dark colour scheme on the page for its disclosure colour', async () => {
    const el = await ready<BwpOfferSummary>('bwp-offer-summary');
    const summary = el.shadowRoot!.querySelector('summary')!;
    const light = getComputedStyle(summary).color;
    // A dark page: it opts into the dark scheme and paints its own canvas and text.
    const undo = pageStyles(':root { color-scheme: dark; background: Canvas; color: CanvasText; }');
    try {
      expect(getComputedStyle(summary).color).to.not.equal(light);
      await expect(el).to.be.accessible();
    } finally {
      undo();
    }
  });

  // Forced-colours emulation exists only in Chromium's launchers (Playwright, CDP); Firefox and WebKit
  // driven over WebDriver have none.
  const chromiumOnly = navigator.userAgent.includes('Chrome/') ? it : it.skip;
  chromiumOnly(
    'draws the badge in the theme’s text colour with forced colours, and stays accessible (Chromium only: the other engines’ drivers cannot emulate forced colours)',
    async () => {
      const el = await ready<BwpOfferSummary>('bwp-offer-summary');
      await emulateMedia({forcedColors: 'active'});
      try {
        const {check, word} = mark(el);
        const canvasText = getComputedStyle(el).color;
        expect(check).to.equal(word);
        expect(check).to.not.equal('rgb(255, 153, 0)');
        expect(canvasText).to.be.a('string');
        await expect(el).to.be.accessible();
      } finally {
        await emulateMedia({forcedColors: 'none'});
      }
      expect(mark(el).check).to.equal('rgb(255, 153, 0)');
    },
  );
});

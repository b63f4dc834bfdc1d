import {expect, fixture, html} from '@open-wc/testing';
import '../../src/components/delivery-badge/define.js';
import type {BwpDeliveryBadge} from '../../src/components/delivery-badge/delivery-badge.js';
import type {ImpressionDetail} from '../../src/components/shared/impression.js';
import {fakeClock, fakeProxy, offerResponse, whenState} from './fake-proxy.js';

/**
 * Resolves once the browser has computed these elements' visibility: a second observer's first report comes
 * in the same task as the elements' own observers' (created earlier), so theirs have run too.
 */
function observed(targets: Element[]): Promise<void> {
  return new Promise((resolve) => {
    const barrier = new IntersectionObserver(() => {
      barrier.disconnect();
      setTimeout(resolve);
    });
    for (const target of targets) barrier.observe(target);
  });
}

/** Every bwp-impression that reaches `root`. */
function impressions(root: HTMLElement): ImpressionDetail[] {
  const seen: ImpressionDetail[] = [];
  root.addEventListener('bwp-impression', (event) => seen.push(event.detail));
  return seen;
}

const BADGE = 'display:block;height:100px';

describe('bwp-impression: once per shown Prime offer, when half the element has been visible for a second', () => {
  it('fires once for an element scrolled into view for one second, not before the second is up', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock});
    const root = await fixture<HTMLDivElement>(html`
      <div style="height:200px;overflow:auto">
        <div style="height:1000px"></div>
        <bwp-delivery-badge style=${BADGE} sku="MUG" .client=${proxy.client}></bwp-delivery-badge>
      </div>
    `);
    const el = root.querySelector<BwpDeliveryBadge>('bwp-delivery-badge')!;
    const seen = impressions(root);
    (await proxy.next()).respond(offerResponse({message: 'Get it Tuesday'}));
    await whenState(el, 'ready');
    await observed([el]);
    clock.tick(1500);
    expect(seen, 'below the fold').to.deep.equal([]);

    el.scrollIntoView();
    await observed([el]);
    clock.tick(999);
    expect(seen).to.deep.equal([]);
    clock.tick(1);
    expect(seen).to.deep.equal([{sku: 'MUG', productId: '', message: 'Get it Tuesday'}]);

    root.scrollTop = 0;
    await observed([el]);
    el.scrollIntoView();
    await observed([el]);
    clock.tick(1500);
    expect(seen, 'the same offer seen again').to.have.length(1);
  });

  it('fires nothing for an element visible for half a second', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock});
    const root = await fixture<HTMLDivElement>(html`
      <div style="height:200px;overflow:auto">
        <bwp-delivery-badge style=${BADGE} sku="MUG" .client=${proxy.client}></bwp-delivery-badge>
        <div id="below" style="height:1000px"></div>
      </div>
    `);
    const el = root.querySelector<BwpDeliveryBadge>('bwp-delivery-badge')!;
    const seen = impressions(root);
    (await proxy.next()).respond(offerResponse());
    await whenState(el, 'ready');
    await observed([el]);
    clock.tick(500);
    root.scrollTop = 900;
    await observed([el]);
    clock.tick(2000);
    expect(seen).to.deep.equal([]);
  });

  it('fires again after a new offer is shown', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock});
    const el = await fixture<BwpDeliveryBadge>(
      html`<bwp-delivery-badge style=${BADGE} sku="MUG" .client=${proxy.client}></bwp-delivery-badge>`,
    );
    const seen = impressions(el);
    (await proxy.next()).respond(offerResponse({message: 'Get it Tuesday'}));
    await whenState(el, 'ready');
    await observed([el]);
    clock.tick(1000);
    el.refresh();
    (await proxy.next()).respond(offerResponse({message: 'Get it Wednesday'}));
    await whenState(el, 'ready');
    await observed([el]);
    clock.tick(1000);
    expect(seen.map((d) => d.message)).to.deep.equal(['Get it Tuesday', 'Get it Wednesday']);
  });

  it('never fires for a hidden, invisible, empty or failed element, however long it stays', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock});
    const root = await fixture<HTMLDivElement>(html`
      <div>
        <bwp-delivery-badge
          style="${BADGE};display:none"
          sku="A"
          .client=${proxy.client}
        ></bwp-delivery-badge>
        <bwp-delivery-badge
          style="${BADGE};visibility:hidden"
          sku="B"
          .client=${proxy.client}
        ></bwp-delivery-badge>
        <bwp-delivery-badge style=${BADGE} sku="C" .client=${proxy.client}></bwp-delivery-badge>
        <bwp-delivery-badge style=${BADGE} sku="D" .client=${proxy.client}></bwp-delivery-badge>
      </div>
    `);
    const els = [...root.querySelectorAll<BwpDeliveryBadge>('bwp-delivery-badge')];
    const seen = impressions(root);
    const call = await proxy.next();
    const notPrime = {
      data: null,
      errors: [{message: 'no', extensions: {code: 'not_eligible', reason: 'not_prime'}}],
    };
    const failed = {data: null, errors: [{message: 'no', extensions: {code: 'unavailable'}}]};
    call.respond([offerResponse(), offerResponse(), notPrime, failed]);
    await Promise.all(['ready', 'ready', 'empty', 'error'].map((state, i) => whenState(els[i]!, state)));
    await observed(els);
    clock.tick(5000);
    expect(seen).to.deep.equal([]);
  });

  it('fires, in a grid of 48 cards, only for the cards seen', async () => {
    const clock = fakeClock();
    const proxy = fakeProxy({clock});
    const skus = Array.from({length: 48}, (_, i) => `SKU-${i}`);
    // Four columns of 100px cards in a 230px window: the first two rows are seen, 30% of the third is not enough.
    const root = await fixture<HTMLDivElement>(html`
      <div style="height:230px;overflow:auto;display:grid;grid-template-columns:repeat(4,1fr)">
        ${skus.map(
          (sku) =>
            html`<bwp-delivery-badge style=${BADGE} sku=${sku} .client=${proxy.client}></bwp-delivery-badge>`,
        )}
      </div>
    `);
    const els = [...root.querySelectorAll<BwpDeliveryBadge>('bwp-delivery-badge')];
    const seen = impressions(root);
    const call = await proxy.next();
    expect(call.body).to.have.length(48);
    call.respond(skus.map((sku) => offerResponse({message: `Get ${sku} Tuesday`})));
    await Promise.all(els.map((el) => whenState(el, 'ready')));
    await observed(els);
    clock.tick(1000);
    // In the order the browser reported them: compared as sets.
    const bySku = () => seen.map((d) => d.sku).sort();
    expect(bySku()).to.deep.equal(skus.slice(0, 8).sort());

    // Scrolled down by six rows: rows 6 and 7 are seen in their turn.
    root.scrollTop = 600;
    await observed(els);
    clock.tick(1000);
    expect(bySku()).to.deep.equal([...skus.slice(0, 8), ...skus.slice(24, 32)].sort());
  });
});

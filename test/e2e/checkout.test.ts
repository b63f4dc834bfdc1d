import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {pageProblems, useDemoStack} from './browser.ts';

describe('demo checkout, end to end (built bundle → proxy → sandbox → demo merchant backend)', () => {
  const stack = useDemoStack();

  it('places the order the shopper chose with the keyboard, and the sandbox order carries what was shown', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    await page.goto(`${stack.dev.url}/checkout.html`);
    const offers = page.locator('bwp-checkout-offers');

    await page.getByLabel('Prime member', {exact: true}).check();
    await page.getByLabel('Street address').fill('410 Terry Ave N');
    await page.getByLabel('ZIP code').fill('98109');
    await page.getByLabel('ZIP code').press('Enter');

    const options = offers.locator('[role="radiogroup"]').first().locator('input[type="radio"]');
    await options.nth(1).waitFor({timeout: 10_000});
    await page.waitForFunction(() => {
      const el = document.querySelector('bwp-checkout-offers') as (Element & {selection: unknown}) | null;
      const selection = el?.selection as {shippingAddress?: {streetAddress?: string}} | null;
      return selection?.shippingAddress?.streetAddress === '410 Terry Ave N';
    });
    // Signing in and the new address each refetch (offers, then the Prime lines' delivery preview): let the
    // last answer land before the keyboard moves, or a re-rendered radio group would drop the focus.
    await page.waitForLoadState('networkidle');
    assert.equal(await offers.getAttribute('state'), 'ready');
    const lines = offers.locator('[part="line-item"]');
    assert.equal(await lines.count(), 3);
    assert.equal(await lines.nth(0).locator('[part="badge"]').count(), 1);
    assert.equal(
      await lines.nth(1).locator('[part="badge"]').count(),
      0,
      'no Prime branding on the non-Prime book',
    );
    assert.equal(await options.nth(0).isChecked(), true, 'the first (Prime) offer is the default');

    // Keyboard only: Tab from the last address button into the delivery options, arrow to the next one.
    await page.getByRole('button', {name: 'Puerto Rico'}).focus();
    await page.keyboard.press('Tab');
    assert.equal(
      await options.nth(0).evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement),
      true,
    );
    // The listener must be in place before the key: evaluate() and key presses travel separately to the page.
    await page.evaluate(() => {
      (window as unknown as {nextChange: Promise<unknown>}).nextChange = new Promise((resolve, reject) => {
        document
          .querySelector('bwp-checkout-offers')!
          .addEventListener('bwp-change', (e) => resolve((e as CustomEvent).detail), {once: true});
        setTimeout(() => reject(new Error('no bwp-change within 10 s of ArrowDown')), 10_000);
      });
    });
    await page.keyboard.press('ArrowDown');
    const changed = page.evaluate(() => (window as unknown as {nextChange: Promise<unknown>}).nextChange);
    const selection = (await changed) as {
      offerId: string;
      shippingAddress: {streetAddress: string};
      lines: Array<{sku: string; deliveryOfferId: string | null; messageText: string | null}>;
    };
    assert.equal(await options.nth(1).isChecked(), true);
    const chosenLabel = (await options.nth(1).locator('xpath=..').innerText()).trim();
    const shown = await lines.locator('[part="delivery"]').allInnerTexts();
    assert.ok(chosenLabel.startsWith(shown[0]!), `${chosenLabel} is shown as the first line's promise`);
    assert.equal(selection.shippingAddress.streetAddress, '410 Terry Ave N');
    assert.equal(selection.lines[0]!.messageText, shown[0]);

    await page.getByRole('button', {name: 'Place order'}).click();
    const confirmation = page.locator('#confirmation');
    await confirmation.waitFor({state: 'visible', timeout: 10_000});
    const orderId = (await page.locator('#order-id').innerText()).trim();
    assert.match(orderId, /\S/);

    const read = await fetch(`${stack.dev.url}/demo/orders/${encodeURIComponent(orderId)}`);
    const {order} = (await read.json()) as {
      order: {
        shippingAddress: {streetAddress: string};
        lines: Array<{
          sku: string;
          deliveryOfferId: string | null;
          messageText: string;
          isPrimeEligible: boolean;
        }>;
      };
    };
    assert.equal(order.shippingAddress.streetAddress, '410 Terry Ave N');
    assert.deepEqual(
      order.lines.map((l) => l.sku),
      ['example-sku-1', 'example-sku-2', 'TEE-NAVY-M'],
    );
    order.lines.forEach((line, i) => {
      assert.equal(line.messageText, shown[i], `line ${i}: the order keeps the promise that was shown`);
      if (selection.lines[i]!.deliveryOfferId)
        assert.equal(line.deliveryOfferId, selection.lines[i]!.deliveryOfferId);
    });
    assert.equal(order.lines[0]!.isPrimeEligible, true);
    assert.equal(order.lines[1]!.isPrimeEligible, false);
    assert.deepEqual(
      await page.locator('#order-lines .order-promise').allInnerTexts(),
      order.lines.map((l) => l.messageText),
    );
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows address errors at the top of the element in plain words, and the rest of the page keeps working', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    await page.goto(`${stack.dev.url}/checkout.html`);
    const offers = page.locator('bwp-checkout-offers');
    await offers.locator('[part="delivery"]').first().waitFor({timeout: 10_000});

    await page.getByRole('button', {name: 'An invalid address'}).click();
    const alert = offers.locator('[role="alert"]');
    await alert.filter({hasText: 'could not use this shipping address'}).waitFor({timeout: 10_000});
    assert.equal(await offers.getAttribute('state'), 'error');
    assert.equal(await page.getByRole('button', {name: 'Place order'}).isDisabled(), true);

    await page.getByRole('button', {name: 'Puerto Rico'}).click();
    await alert.filter({hasText: 'does not deliver to this address'}).waitFor({timeout: 10_000});

    await page.getByRole('button', {name: 'Seattle address'}).click();
    await offers.locator('[part="delivery"]').first().waitFor({timeout: 10_000});
    await page.waitForFunction(
      () => document.querySelector('bwp-checkout-offers')?.getAttribute('state') === 'ready',
    );
    assert.equal(await page.getByRole('button', {name: 'Place order'}).isDisabled(), false);
    // Filter the 4xx responses the proxy answers with the error codes: the browser logs those as console errors.
    assert.deepEqual(
      problems.filter((p) => !/status of 4\d\d/.test(p)),
      [],
    );
    await page.close();
  });
  it('starts signed in when the page opens with the Prime shopper already checked (a restored form)', async () => {
    const page = await stack.browser.newPage();
    const problems = pageProblems(page);
    // A browser restoring form state sets the radio after parsing and before the page's module scripts run:
    // do the same at readyState "interactive", which comes before them.
    await page.addInitScript(() => {
      document.addEventListener('readystatechange', () => {
        if (document.readyState !== 'interactive') return;
        const prime = document.querySelector<HTMLInputElement>('input[name="shopper"][value="prime"]');
        if (prime) prime.checked = true;
      });
    });
    await page.goto(`${stack.dev.url}/checkout.html`);
    assert.equal(await page.getByLabel('Prime member', {exact: true}).isChecked(), true);
    const options = page
      .locator('bwp-checkout-offers [role="radiogroup"]')
      .first()
      .locator('input[type="radio"]');
    await options.nth(1).waitFor({timeout: 10_000});
    assert.equal(await page.locator('bwp-checkout-offers').getAttribute('state'), 'ready');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

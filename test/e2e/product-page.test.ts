import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import type {Browser} from 'playwright-core';
import {startDevServer, type DevServer} from '../../server/dev/app.ts';
import {launchChromium} from './browser.ts';

describe('demo product page, end to end (built bundle → proxy → sandbox)', () => {
  let dev: DevServer;
  let browser: Browser;

  before(async () => {
    dev = await startDevServer({port: 0});
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await dev?.close();
  });

  it('shows the Prime badge with the sandbox delivery promise', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${dev.url}/`);
    const badge = page.locator('bwp-delivery-badge[sku="example-sku-1"]');
    const delivery = badge.locator('[part="delivery"]');
    await delivery.waitFor({timeout: 10_000});
    assert.match(await delivery.innerText(), /^Get it as soon as \w+day, \w{3} \d{1,2}$/);
    assert.equal(await badge.getAttribute('state'), 'ready');
    assert.equal(await badge.locator('[part="badge"]').getAttribute('aria-label'), 'Amazon Prime');
    assert.deepEqual(problems, []);
    await page.close();
  });
});

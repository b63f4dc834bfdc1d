import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import type {Browser} from 'playwright-core';
import {createSandbox} from '../../server/sandbox/sandbox.ts';
import {launchChromium} from '../e2e/browser.ts';
import {listen, type Served} from './helpers.ts';
import {FRIDAY} from './sandbox-client.ts';

// The IDE page in a real Chromium with every request outside 127.0.0.1 blocked: it must work offline.
describe('sandbox IDE page in Chromium', {skip: !existsSync('/usr/bin/chromium') && 'no Chromium'}, () => {
  let served: Served;
  let browser: Browser;
  before(async () => {
    served = await listen(createSandbox({now: () => FRIDAY}));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await served?.close();
  });

  it('gets a token with the sandbox defaults and runs the example query, offline', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      if (
        new URL(route.request().url()).hostname === '127.0.0.1' ||
        route.request().url().startsWith('data:')
      ) {
        return route.continue();
      }
      outside.push(route.request().url());
      return route.abort();
    });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${served.url}/graphql`);
    await page.click('#token');
    await page.locator('#status').filter({hasText: 'token: HTTP 200'}).waitFor({timeout: 5000});
    assert.match(await page.inputValue('#headers'), /"authorization":"Bearer sbx\./);
    await page.click('#run');
    await page
      .locator('#status')
      .filter({hasText: /^HTTP 200/})
      .waitFor({timeout: 5000});
    assert.match(
      await page.locator('#result').innerText(),
      /"messageText": "Get it as soon as Tuesday, Nov 24"/,
    );
    await page.selectOption('#example', 'deliveryPreview');
    await page.keyboard.press('Control+Enter');
    await page.locator('#result').filter({hasText: 'deliveryGroups'}).waitFor({timeout: 5000});
    assert.deepEqual(outside, []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});

// Screenshots of the demo grid with cards 140 px and 320 px wide (docs/images/), from the demo stack in
// Chromium: `npm run -s build && node --import tsx scripts/grid-screenshots.ts`.
import {startDevServer} from '../server/dev/app.ts';
import {launchChromium} from '../test/e2e/browser.ts';

const dev = await startDevServer({port: 0});
const browser = await launchChromium();
try {
  for (const width of [140, 320]) {
    const page = await browser.newPage({viewport: {width: width < 200 ? 900 : 1080, height: 800}});
    // The cards at one width from the first paint, as a merchant's own grid would have them.
    await page.route(`${dev.url}/grid.html`, async (route) => {
      const response = await route.fetch();
      const html = (await response.text()).replace(
        '</head>',
        `<style>.grid { grid-template-columns: repeat(auto-fill, ${width}px); }</style></head>`,
      );
      await route.fulfill({response, body: html});
    });
    await page.goto(`${dev.url}/grid.html`);
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('bwp-delivery-badge')).every(
        (b) => b.hasAttribute('state') && b.getAttribute('state') !== 'loading',
      ),
    );
    // Two whole rows of cards, from the heading down.
    const clip = await page.evaluate(() => {
      const cards = Array.from(document.querySelectorAll('.card'));
      const top = cards[0]!.getBoundingClientRect().top;
      const perRow = cards.filter((c) => c.getBoundingClientRect().top === top).length;
      const rows = cards.slice(0, perRow * 2).map((c) => c.getBoundingClientRect());
      const grid = document.querySelector('.grid')!.getBoundingClientRect();
      const bottom = Math.max(...rows.map((r) => r.bottom));
      return {x: 0, y: 0, width: Math.ceil(grid.right + 24), height: Math.ceil(bottom + 16)};
    });
    const path = `docs/images/grid-${width}px.png`;
    await page.screenshot({path, clip, fullPage: true});
    console.log(`wrote ${path}`);
    await page.close();
  }
} finally {
  await browser.close();
  await dev.close();
}

// Fault matrix in Chromium, Firefox and WebKit: every fault × every element, on a merchant page that must not
// notice. The faults are made by the servers (fault-rows.ts), so every engine meets the same ones.
import assert from 'node:assert/strict';
import {after, before, describe, it} from 'node:test';
import {forEachEngine, type EnginePage} from './browser.ts';
import {MAX_ATTEMPTS, PROXY, ROWS, type Outcome, type Row} from './fault-rows.ts';
import {startMatrix, TAGS, type ElementName, type Matrix} from './faults-stack.ts';

const NAMES = Object.keys(TAGS) as ElementName[];

/** What the page shows and saw, read once the row's three elements settled. */
interface Seen {
  elements: Record<string, {state: string | null; promises: string[]; messages: string[]; fallback: boolean}>;
  events: Array<{type: string; tag: string; code?: string}>;
  /** fetch() calls by absolute URL. */
  fetches: Record<string, number>;
  after: string;
}

/** Resolves when every element left `loading` and announced it (empty ones announce nothing). */
const settled = (page: EnginePage) =>
  page.waitFor(
    'every element settled',
    (tags) => {
      const events = (window as unknown as {__bwp?: {events: Array<{tag: string}>}}).__bwp?.events ?? [];
      return tags.every((tag) => {
        const state = document.querySelector(tag)?.getAttribute('state');
        if (!state || state === 'loading') return false;
        return state === 'empty' || events.some((e) => e.tag === tag);
      });
    },
    Object.values(TAGS),
  );

const read = (page: EnginePage) =>
  page.evaluate((tags): Seen => {
    // No named helpers in here: tsx would wrap them in a __name() call the page does not have.
    const elements: Seen['elements'] = {};
    for (const tag of tags) {
      const el = document.querySelector(tag)!;
      const root = el.shadowRoot!;
      elements[tag] = {
        state: el.getAttribute('state'),
        promises: Array.from(root.querySelectorAll('[part="delivery"]'))
          .map((e) => (e as HTMLElement).innerText.trim())
          .filter(Boolean),
        messages: Array.from(root.querySelectorAll('[role="alert"] p, p.error'))
          .map((e) => (e as HTMLElement).innerText.trim())
          .filter(Boolean),
        // The page's own light-DOM text (the product elements' fallback), when the element renders it.
        fallback: Array.from(el.childNodes).some((node) => {
          if (node.nodeType !== Node.TEXT_NODE || node.textContent!.trim() === '') return false;
          const range = document.createRange();
          range.selectNodeContents(node);
          return range.getClientRects().length > 0;
        }),
      };
    }
    const seen = (window as unknown as {__bwp: Pick<Seen, 'events' | 'fetches'>}).__bwp;
    return {
      elements,
      events: seen.events,
      fetches: seen.fetches,
      after: document.getElementById('after')!.textContent!,
    };
  }, Object.values(TAGS));

/** The element shows what the row says, and nothing else. */
function assertShows(expected: Outcome, seen: Seen['elements'][string]) {
  const {shows} = expected;
  if (shows === 'promise') {
    assert.ok(seen.promises.length > 0, 'a delivery promise is shown');
    for (const promise of seen.promises) assert.match(promise, /^Get it \S/);
    assert.equal(seen.fallback, false, 'the fallback gave way to the promise');
    assert.deepEqual(seen.messages, []);
    return;
  }
  assert.deepEqual(seen.promises, [], 'no delivery promise is shown');
  if (shows === 'fallback') assert.equal(seen.fallback, true, "the page's fallback is kept");
  else assert.equal(seen.fallback, false, 'no fallback');
  if (typeof shows === 'object') assert.ok(seen.messages.includes(shows.message), String(seen.messages));
  else assert.deepEqual(seen.messages, []);
}

/**
 * Console errors the engine may log itself: only its network error line for a request to one of the row's
 * endpoints, in the rows that fail the connection on purpose. Chromium writes one for every failed fetch,
 * whatever the script does with the failure; it is not an error of the page. Nothing else is allowed, in any row.
 */
function unexpectedConsole(
  row: Row,
  messages: ReadonlyArray<{text: string; url: string}>,
  endpoints: readonly string[],
) {
  const allowed = row.connection === 'reset' ? 'ERR_CONNECTION_RESET' : 'ERR_CONNECTION_REFUSED';
  return messages.filter(
    (m) =>
      !(row.connection && m.text === `Failed to load resource: net::${allowed}` && endpoints.includes(m.url)),
  );
}

forEachEngine(
  'fault matrix: every fault × every element, on a page that must not notice',
  (stack) => {
    const matrix = () => stack.dev as Matrix;
    const figures: string[] = [];
    after(() => {
      console.log(
        `fault matrix [${stack.engine}] (element: state code, upstream GraphQL calls, page fetches, server POSTs; ms per page)\n${figures.join('\n')}`,
      );
    });

    ROWS.forEach((row, r) => {
      // One page per row holds its three elements, each on its own proxy: one load checks three cells.
      describe(row.fault, () => {
        let seen: Seen;
        let consoleErrors: ReadonlyArray<{text: string; url: string}> | undefined;
        let problems: string[];
        before(async () => {
          const page = await stack.newPage();
          try {
            const started = Date.now();
            await page.goto(matrix().page(r));
            await settled(page).catch(async (error: unknown) => {
              const dump = await page.evaluate(() => ({
                html: document.body.innerHTML.slice(0, 800),
                bwp: (window as unknown as {__bwp: unknown}).__bwp,
              }));
              throw new Error(`did not settle: ${JSON.stringify(dump)}`, {cause: error});
            });
            const ms = Date.now() - started;
            seen = await read(page);
            problems = await page.problems();
            consoleErrors = page.consoleErrors && [...page.consoleErrors];
            figures.push(`  ${row.fault} (${ms} ms)`);
            for (const name of NAMES) {
              const cell = matrix().cell(r, name);
              const tag = TAGS[name];
              const url = new URL(cell.endpoint, matrix().url).href;
              figures.push(
                `    ${name}: ${seen.elements[tag]!.state} ${seen.events.find((e) => e.tag === tag)?.code ?? ''}, ` +
                  `${cell.counts.graphql} GraphQL + ${cell.counts.token} token, ${seen.fetches[url] ?? 0} fetch(es), ${cell.posts} POST(s)`,
              );
            }
            if (consoleErrors?.length)
              figures.push(`    console: ${consoleErrors.map((m) => m.text).join(' | ')}`);
          } finally {
            await page.close();
          }
        });

        for (const name of NAMES) {
          const expected = row.expect[name];
          const tag = TAGS[name];
          it(`<${tag}> ends ${expected.state}${expected.code ? ` (${expected.code})` : ''}, with no page error and ${row.graphql} upstream call(s)`, () => {
            const element = seen.elements[tag]!;
            assert.equal(element.state, expected.state);
            const events = seen.events.filter((e) => e.tag === tag);
            assert.deepEqual(
              events.map((e) => e.type),
              expected.state === 'ready' ? ['bwp-load'] : expected.state === 'error' ? ['bwp-error'] : [],
            );
            if (expected.code) assert.equal(events[0]?.code, expected.code);
            assertShows(expected, element);
            // The host page is intact and nothing was thrown into it.
            assert.deepEqual(problems, []);
            assert.equal(seen.after, 'Add to cart');
            const cell = matrix().cell(r, name);
            const endpoint = new URL(cell.endpoint, matrix().url).href;
            const endpoints = NAMES.map((n) => new URL(matrix().cell(r, n).endpoint, matrix().url).href);
            if (consoleErrors) assert.deepEqual(unexpectedConsole(row, consoleErrors, endpoints), []);
            // The retry budget: exactly the expected attempts, never more than 3 per element request.
            // Each cell has its own proxy: no earlier cell's throttling can pause it, so the count is exact.
            assert.equal(cell.counts.graphql, row.graphql, 'upstream GraphQL calls');
            assert.ok(cell.counts.graphql <= MAX_ATTEMPTS);
            assert.ok(cell.counts.token <= 1, `${cell.counts.token} token calls`);
            assert.equal(seen.fetches[endpoint] ?? 0, row.requests, 'requests from the page to the proxy');
            assert.equal(
              cell.posts,
              row.connection === 'refused' ? 0 : row.requests,
              'requests that reached the server',
            );
          });
        }
      });
    });
  },
  {
    start: () =>
      startMatrix(
        ROWS.map((row) => ({
          ...row,
          proxy: {...PROXY, ...row.proxy},
          sandbox: row.sandboxFault ? {faults: row.sandboxFault} : {},
        })),
      ),
    concurrency: 2,
  },
);

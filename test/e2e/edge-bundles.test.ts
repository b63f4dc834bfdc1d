// The proxy's edge bundles (dist/edge, scripts/build-edge.mjs): within their budget, free of the sandbox
// and of graphql-js's executor, and each serving a request. Needs the build (`npm run build`).
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {resolve} from 'node:path';
import {after, before, describe, it} from 'node:test';
import {pathToFileURL} from 'node:url';
import type {NodeServer} from '../../server/proxy/node.ts';
// @ts-expect-error: plain .mjs build script, no declarations
import {BUNDLES, EDGE, edgeSizes} from '../../scripts/build-edge.mjs';
import {lambdaEvent, offeredSkus, productOffersBody, sandboxEnv, SKU, startSandbox} from './merchant.ts';

type Bundles = Record<string, {outfile: string}>;
const bundles = BUNDLES as Bundles;
const names = Object.keys(bundles);
const budget: Record<string, number> = JSON.parse(readFileSync('scripts/edge-budget.json', 'utf8'));
const meta: Record<string, string[]> = JSON.parse(readFileSync(`${EDGE}/meta.json`, 'utf8'));
const text = (name: string) => readFileSync(`${EDGE}/${bundles[name]!.outfile}`, 'utf8');
const catalog: {title: string; sku: string}[] = JSON.parse(
  readFileSync('server/sandbox/catalog.json', 'utf8'),
);

describe('edge bundles of the proxy (dist/edge, built)', () => {
  it('has a budget for each bundle the build writes, and no stale one', () => {
    assert.deepEqual(names.sort(), ['lambda', 'worker']);
    assert.deepEqual(
      Object.keys(budget)
        .filter((k) => k !== '//')
        .sort(),
      names.sort(),
    );
  });

  const sizes = edgeSizes() as Record<string, {gzip: number}>;
  for (const name of ['worker', 'lambda'])
    it(`${name} stays within its gzip budget`, () => {
      assert.ok(
        sizes[name]!.gzip <= budget[name]!,
        `${name} is ${sizes[name]!.gzip} B gzip, over its budget of ${budget[name]} B (scripts/edge-budget.json)`,
      );
    });

  for (const name of ['worker', 'lambda'])
    it(`${name} holds no sandbox module, no browser code and none of graphql-js beyond its parser and printer`, () => {
      const inputs = meta[name]!;
      assert.ok(
        inputs.some((path) => path.startsWith('server/proxy/')),
        'the metafile lists the proxy',
      );
      assert.ok(
        inputs.some((path) => path.includes('node_modules/graphql/language/')),
        'and the parser',
      );
      const foreign = inputs.filter((path) =>
        /^server\/sandbox\/|^src\/(components|cdn|elements)\/|node_modules\/(lit|@lit|graphql\/(execution|validation|type|utilities))\//.test(
          path,
        ),
      );
      assert.deepEqual(foreign, []);
    });

  for (const name of ['worker', 'lambda'])
    it(`${name} contains neither the sandbox's schema nor its catalog`, () => {
      const code = text(name);
      for (const marker of ['type Query', 'scalar LenientBoolean', 'OfferConnection', 'executeOperation'])
        assert.ok(!code.includes(marker), `${name} contains "${marker}"`);
      for (const product of catalog) {
        assert.ok(!code.includes(product.title), `${name} contains the catalog's "${product.title}"`);
        assert.ok(!code.includes(`"${product.sku}"`), `${name} contains the catalog's ${product.sku}`);
      }
    });
});

describe('edge bundles serving the sandbox', () => {
  let sandbox: NodeServer;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox?.close());

  it('the Worker bundle answers a product request through its default export, configured by bindings', async () => {
    const module = await import(pathToFileURL(resolve(EDGE, bundles.worker!.outfile)).href);
    const request = new Request('https://shop.example/bwp/graphql', {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: productOffersBody(),
    });
    const response: Response = await module.default.fetch(request, sandboxEnv(sandbox.url), {});
    const body = await response.text();
    assert.equal(response.status, 200, body);
    assert.deepEqual(offeredSkus(body), [SKU]);
  });

  it('the Lambda bundle answers an API Gateway event through `handler`, configured by the environment', async () => {
    Object.assign(process.env, sandboxEnv(sandbox.url));
    const module = await import(pathToFileURL(resolve(EDGE, bundles.lambda!.outfile)).href);
    const result = await module.handler(lambdaEvent(productOffersBody()), {});
    assert.equal(result.statusCode, 200, result.body);
    assert.deepEqual(offeredSkus(result.body), [SKU]);
  });
});

// Property tests of the proxy's request validation: called as a fetch handler (no socket) in front of an upstream
// that counts its calls. Invalid input never gets a 5xx and never reaches the upstream.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import fc from 'fast-check';
import {createProxy} from '../../server/proxy/proxy.ts';
import {DOCUMENTS} from '../../server/operations/documents.ts';
import {upstreamInputs} from './upstream-inputs.ts';
import {ERROR_CODES as PROXY_ERROR_CODES} from '../../src/api/protocol.ts';
import {
  ADDRESS,
  CLIENT_ID,
  CLIENT_SECRET,
  createAudit,
  productOffers,
  SHOPPER_TOKEN,
  TARGET_ID,
} from './proxy-fixtures.ts';

/** Published seed: a failure reproduces with the same seed and the path fast-check prints. */
const SEED = 20261122;
/** This file's third of BWP_FC_RUNS (see normalize.test.ts), split over its 6 properties. */
const RUNS = Math.round((Number(process.env.BWP_FC_RUNS) || 48_000) / 3 / 6);
const run = <T>(property: fc.IAsyncProperty<T>) => fc.assert(property, {seed: SEED, numRuns: RUNS});

const ERROR_CODES: ReadonlySet<string> = new Set(PROXY_ERROR_CODES);

const audit = createAudit();
const upstream = {graphql: 0, token: 0, variables: [] as Array<Record<string, unknown>>};
const proxy = createProxy({
  apiUrl: 'http://api.test/graphql',
  tokenUrl: 'http://api.test/token',
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  targetId: TARGET_ID,
  rateLimiter: false,
  shopperRateLimiter: false,
  breaker: false,
  logger: audit.logger,
  fetch: async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).pathname === '/token') {
      upstream.token++;
      return Response.json({access_token: 'at-property-secret', token_type: 'bearer', expires_in: 900});
    }
    upstream.graphql++;
    upstream.variables.push(upstreamInputs((await request.json()) as {query: string}));
    return Response.json({data: {offers: {edges: [], totalCount: 0}}});
  },
});
audit.addSecret('at-property-secret');

interface Answer {
  status: number;
  body: unknown;
  calls: number;
}

/** One request to the handler: its status, its JSON body, and the upstream GraphQL calls it caused. */
async function send(body: BodyInit | null, headers: Record<string, string> = {}): Promise<Answer> {
  const before = upstream.graphql;
  const response = await proxy(
    new Request('http://proxy.test/bwp/graphql', {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body,
    }),
    {clientIp: '203.0.113.7'},
  );
  const text = await response.text();
  // Keep a sample for the secret scan without holding every answer of a million-run job.
  if (audit.logs.length % 97 === 0) audit.record(text);
  if (audit.logs.length > 10_000) audit.logs.splice(0, 9_000);
  return {status: response.status, body: JSON.parse(text), calls: upstream.graphql - before};
}

/** Every result of an answer (one, or a batch) and its error codes. */
function results(answer: Answer): Array<{data?: unknown; errors?: Array<{extensions: {code: string}}>}> {
  return (Array.isArray(answer.body) ? answer.body : [answer.body]) as never;
}

function assertRefusedWithoutUpstream(answer: Answer) {
  assert.ok(answer.status < 500, `status ${answer.status}`);
  assert.equal(answer.calls, 0, 'invalid input reached the upstream');
  for (const result of results(answer)) {
    assert.ok(result.errors?.length, 'an invalid operation answered without an error');
    for (const error of result.errors) assert.ok(ERROR_CODES.has(error.extensions.code));
  }
}

// An independent statement of what the upstream may receive: if any call got through, its variables match it.
const isText = (v: unknown, max: number) =>
  typeof v === 'string' && v.length >= 1 && v.length <= max && !/[\u0000-\u001f\u007f]/.test(v);
const onlyKeys = (v: unknown, allowed: string[]) =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.keys(v).every((k) => allowed.includes(k));
function forwardedVariablesAreValid(variables: Record<string, any>): boolean {
  const lines = variables.lineItems ?? variables.products;
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > 40) return false;
  return lines.every((line: any) => {
    const amount = line.amount;
    if (!Number.isInteger(amount?.value) || amount.value < 1 || amount.value > 999 || amount.unit !== 'ONE')
      return false;
    const product = line.product ?? {identifier: line.productIdentifier};
    const identifier = product.identifier ?? {productId: product.productId};
    const values = Object.values(identifier);
    return (
      onlyKeys(identifier, ['sku', 'productId', 'externalId']) &&
      values.length === 1 &&
      isText(values[0], 512)
    );
  });
}

const DOCUMENT_IDS = [...DOCUMENTS.keys()];

// Values that are wrong wherever they appear: wrong types, out of range, too long, control characters.
const badScalar = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1.5,
    1000,
    1e308,
    '',
    ' ',
    '\t',
    'x'.repeat(600),
    'a\u0000b',
    'a\nb',
    [],
    {},
  ),
  // Half a surrogate pair, alone or at either end.
  fc.constantFrom('\ud800', 'sku-\udfff', '\udc00sku', 'a\ud83d'),
  fc.string({maxLength: 3}).map((s) => `${s}\u0007`),
);

/** A valid operation with one of its fields replaced by something wrong, removed, or joined by an unknown one. */
const brokenOperation = fc
  .record({
    document: fc.constantFrom(...DOCUMENT_IDS),
    mutation: fc.constantFrom('replace', 'remove', 'extra'),
    value: badScalar,
    pick: fc.nat(),
  })
  .map(({document, mutation, value, pick}) => {
    const line =
      document === 'DeliveryPreview.v1'
        ? {productIdentifier: {sku: 'sku-1'}, amount: {unit: 'ONE', value: 2}}
        : {product: {identifier: {sku: 'sku-1'}}, amount: {unit: 'ONE', value: 2}};
    const variables: Record<string, any> =
      document === 'ProductOffers.v1'
        ? {lineItems: [line]}
        : {
            [document === 'DeliveryPreview.v1' ? 'products' : 'lineItems']: [line],
            shippingAddress: {...ADDRESS},
          };
    // Every place a value sits, as [container, key]; the required ones make 'remove' invalid too.
    const places: Array<[Record<string, any>, string, boolean]> = [];
    const walk = (node: Record<string, any>) => {
      for (const [key, child] of Object.entries(node)) {
        const required = !(key === 'amount' || key === 'unit');
        places.push([node, key, required]);
        if (child && typeof child === 'object' && !Array.isArray(child)) walk(child);
        if (Array.isArray(child)) child.forEach((item) => walk(item));
      }
    };
    walk(variables);
    const candidates = mutation === 'remove' ? places.filter(([, , required]) => required) : places;
    const [container, key, required] = candidates[pick % candidates.length]!;
    if (mutation === 'remove') delete container[key];
    else if (mutation === 'extra') container[`x-${key}`] = value;
    // null stands for "absent", which an optional field (amount, unit) may be.
    else if (!required && value === null) container[key] = 'wrong';
    else container[key] = Array.isArray(container[key]) ? value : wrongFor(container[key], value);
    return {documentId: document, variables};
  });

/** A replacement that is surely wrong for the value it replaces (an object stays wrong as a scalar, and so on). */
function wrongFor(original: unknown, candidate: unknown): unknown {
  if (typeof original === 'object' && original !== null)
    return typeof candidate === 'object' ? 'x' : candidate;
  if (typeof original === 'number')
    return typeof candidate === 'number' && candidate >= 1 && candidate <= 999 && Number.isInteger(candidate)
      ? 0
      : candidate;
  // A string: anything but a short clean string (the address patterns refuse most others anyway).
  return typeof candidate === 'string' && isText(candidate, 20) && /^[A-Z]{2}$/.test(candidate)
    ? null
    : candidate === 'x'
      ? ''
      : candidate;
}

describe(`proxy request validation, property-based (fast-check seed ${SEED}, ${RUNS} runs per property)`, () => {
  it('answers any JSON body without a 5xx and without calling the upstream', async () => {
    await run(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        assertRefusedWithoutUpstream(await send(JSON.stringify(body)));
      }),
    );
  });

  it('answers any text body (any Unicode, lone surrogates, broken JSON) without a 5xx or an upstream call', async () => {
    await run(
      fc.asyncProperty(
        fc.oneof(
          fc.string({unit: 'binary'}),
          fc.string({unit: 'grapheme'}),
          fc.string({unit: 'binary-ascii'}),
        ),
        async (text) => {
          assertRefusedWithoutUpstream(await send(text));
        },
      ),
    );
  });

  it('refuses a known document with variables of any shape, and forwards only variables that are valid', async () => {
    await run(
      fc.asyncProperty(
        fc.constantFrom(...DOCUMENT_IDS),
        fc.oneof(
          fc.jsonValue({maxDepth: 4}),
          fc.record({lineItems: fc.jsonValue({maxDepth: 3})}),
          fc.record({lineItems: fc.array(fc.record({product: fc.jsonValue({maxDepth: 2})}), {maxLength: 3})}),
        ),
        async (documentId, variables) => {
          const answer = await send(JSON.stringify({documentId, variables}));
          assert.ok(answer.status < 500);
          if (answer.calls > 0) assert.ok(forwardedVariablesAreValid(upstream.variables.at(-1)!));
          else assertRefusedWithoutUpstream(answer);
        },
      ),
    );
  });

  it('refuses a valid operation with any one field broken, naming the field, with no upstream call', async () => {
    await run(
      fc.asyncProperty(brokenOperation, async (operation) => {
        const answer = await send(JSON.stringify(operation));
        assertRefusedWithoutUpstream(answer);
        const error = results(answer)[0]!.errors![0]! as {extensions: {code: string; reason?: string}};
        assert.equal(error.extensions.code, 'invalid_request');
        assert.ok(
          ['invalid_variables', 'too_deep'].includes(error.extensions.reason!),
          error.extensions.reason,
        );
      }),
    );
  });

  it('takes a shopper token header only when it is 1 to 2048 visible ASCII characters, whatever is sent', async () => {
    await run(
      fc.asyncProperty(
        fc.oneof(
          fc.string({unit: 'binary', maxLength: 40}),
          fc.string({unit: 'binary-ascii', maxLength: 40}),
          fc.string({minLength: 2040, maxLength: 2060}),
          fc.constant(SHOPPER_TOKEN),
        ),
        async (token) => {
          let headers: Headers;
          try {
            headers = new Headers({'x-bwp-shopper-token': token});
          } catch {
            return; // fetch and Request refuse it client-side (CR, LF, NUL, non-Latin-1): never sent
          }
          const sent = headers.get('x-bwp-shopper-token')!;
          const answer = await send(JSON.stringify(productOffers('sku-1')), {'x-bwp-shopper-token': token});
          assert.ok(answer.status < 500);
          if (/^[\x21-\x7e]{1,2048}$/.test(sent)) {
            assert.equal(answer.status, 200);
            assert.equal(answer.calls, 1);
            const identity = upstream.variables.at(-1)!.shopperIdentity as {lwaAccessToken: {value: string}};
            assert.equal(identity.lwaAccessToken.value, sent);
          } else {
            assert.equal(answer.status, 400);
            assertRefusedWithoutUpstream(answer);
          }
        },
      ),
    );
  });

  it('refuses any content type but JSON, any foreign origin, and never lets X-Forwarded-For choose the IP', async () => {
    await run(
      fc.asyncProperty(
        fc.oneof(fc.constant('application/json'), fc.string({unit: 'binary-ascii', maxLength: 30})),
        fc.oneof(
          fc.constant(undefined),
          fc.constant('http://proxy.test'),
          fc.webUrl().map((u) => new URL(u).origin),
        ),
        fc.oneof(fc.ipV4(), fc.string({unit: 'binary-ascii', maxLength: 30})),
        async (type, origin, forwarded) => {
          const headers: Record<string, string> = {'content-type': type, 'x-forwarded-for': forwarded};
          if (origin) headers.origin = origin;
          try {
            new Headers(headers);
          } catch {
            return;
          }
          const answer = await send(JSON.stringify(productOffers('sku-1')), headers);
          assert.ok(answer.status < 500);
          const json = type.split(';')[0]!.trim().toLowerCase() === 'application/json';
          const sameOrigin = origin === undefined || origin === 'http://proxy.test';
          if (!sameOrigin) assert.equal(answer.status, 403);
          else if (!json) assert.equal(answer.status, 415);
          if (!sameOrigin || !json) return assertRefusedWithoutUpstream(answer);
          assert.equal(answer.calls, 1);
          assert.deepEqual(upstream.variables.at(-1)!.location, {ipAddress: '203.0.113.7'});
        },
      ),
    );
  });
});

// Abuse of the proxy over real HTTP on 127.0.0.1: oversized, deep and odd bodies, raw header injection, spoofed
// client IPs, foreign origins and CSRF content types. Each gets its clear 4xx code, never an upstream call, and
// the audit finds no secret or token in any response or log line.
import assert from 'node:assert/strict';
import {connect} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {
  createAudit,
  fakeApi,
  productOffers,
  serveProxy,
  SHOPPER_TOKEN,
  type Envelope,
} from './proxy-fixtures.ts';

const ALLOWED = 'https://shop.example';

/** Sends bytes exactly as given (fetch refuses CR, LF and NUL in headers) and returns the raw answer. */
function rawHttp(url: string, request: string | Uint8Array): Promise<string> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({host: hostname, port: Number(port)});
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.end(request);
  });
}

const statusOf = (raw: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1]);
const bodyOf = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n') + 4);

/** A POST of a JSON body with the given extra header lines, byte for byte. */
function rawPost(url: string, headerLines: string[], body = JSON.stringify(productOffers('sku-1'))) {
  const {host} = new URL(url);
  return [
    'POST /bwp/graphql HTTP/1.1',
    `Host: ${host}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...headerLines,
    '',
    body,
  ].join('\r\n');
}

describe('proxy abuse over real HTTP: a clear 4xx for each, no upstream call, nothing leaked', () => {
  const audit = createAudit();
  const api = audit.watch(fakeApi());
  let proxy: Awaited<ReturnType<typeof serveProxy>>;
  let trusting: Awaited<ReturnType<typeof serveProxy>>;
  const figures: string[] = [];

  before(async () => {
    proxy = await serveProxy(api, audit, {rateLimiter: false, allowedOrigins: [ALLOWED]});
    trusting = await serveProxy(api, audit, {rateLimiter: false, trustedProxies: 1});
  });
  after(async () => {
    await proxy.close();
    await trusting.close();
    console.log(`abuse figures:\n${figures.join('\n')}`);
  });

  async function refused(response: Response | string, status: number, reason?: string) {
    const calls = api.upstreamCalls;
    const [code, text] =
      typeof response === 'string'
        ? [statusOf(response), bodyOf(response)]
        : [response.status, await response.text()];
    assert.equal(code, status, text.slice(0, 200));
    if (reason) {
      const body = JSON.parse(text) as Envelope | Envelope[];
      const error = (Array.isArray(body) ? body[0]! : body).errors![0]!;
      assert.equal(error.extensions.code, 'invalid_request');
      assert.equal(error.extensions.reason, reason);
    }
    assert.equal(api.upstreamCalls, calls, 'the upstream was called');
  }

  /** Records a raw answer for the secret scan. */
  const scanned = (raw: string) => {
    audit.record(raw);
    return raw;
  };

  describe('bodies', () => {
    it('refuses 10 MB declared by Content-Length with 413, reading none of it, and keeps serving', async () => {
      const before = audit.logs.length;
      const raw = scanned(
        await rawHttp(
          proxy.url,
          [
            'POST /bwp/graphql HTTP/1.1',
            'Host: x',
            'Content-Type: application/json',
            'Content-Length: 10485760',
            '',
            '{"documentId":',
          ].join('\r\n'),
        ),
      );
      await refused(raw, 413, 'body_too_large');
      assert.equal(audit.logs.at(before)?.bodyBytes, 0);
      figures.push(`  10 MB by Content-Length: 413 after reading ${audit.logs.at(before)?.bodyBytes} bytes`);
      assert.equal((await proxy.post(productOffers('after-the-flood'))).status, 200);
    });

    it('stops a chunked 10 MB body at the 16 KB cap with 413', async () => {
      const before = audit.logs.length;
      let offered = 0;
      const chunk = new TextEncoder().encode(' '.repeat(8192));
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offered >= 10 * 1024 * 1024) return controller.close();
          offered += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const response = await audit.fetch(`${proxy.url}/bwp/graphql`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body,
        duplex: 'half',
      } as RequestInit);
      await refused(response, 413, 'body_too_large');
      const read = audit.logs.at(before)!.bodyBytes!;
      assert.ok(read <= 16 * 1024 + 4 * chunk.byteLength, `read ${read} bytes`);
      figures.push(`  10 MB chunked: 413 after reading ${read} bytes (client offered ${offered})`);
    });

    it('refuses thousands of levels of nesting, of objects and of arrays, as too deep, before parsing', async () => {
      await refused(await proxy.post(`${'{"a":'.repeat(2500)}1${'}'.repeat(2500)}`), 400, 'too_deep');
      await refused(await proxy.post(`[${'['.repeat(5000)}${']'.repeat(5000)}]`), 400, 'too_deep');
      // Brackets inside strings are text, not nesting: a SKU made of them is just an unknown SKU.
      const response = await proxy.post(productOffers('[[[[[[[[[[{{{{{{{{{{'));
      assert.equal(response.status, 200);
      api.graphqlCalls.length = 0;
    });

    it('refuses huge arrays: 8,000 operations, and 5,000 line items, without an upstream call', async () => {
      await refused(await proxy.post(`[${Array(8000).fill('0').join(',')}]`), 400, 'batch_too_large');
      const many = {documentId: 'ProductOffers.v1', variables: {lineItems: Array(5000).fill(1)}};
      await refused(await proxy.post(many), 400, 'batch_too_large');
      const fortyOne = {
        documentId: 'ProductOffers.v1',
        variables: {lineItems: Array.from({length: 41}, (_, i) => ({product: {productId: `p${i}`}}))},
      };
      await refused(await proxy.post(fortyOne), 200, 'invalid_variables');
    });

    it('refuses a body that is not UTF-8 (overlong encodings, encoded surrogates, stray bytes)', async () => {
      for (const bytes of [
        [0x7b, 0xc0, 0xaf, 0x7d],
        [0x7b, 0xed, 0xa0, 0x80, 0x7d], // a surrogate encoded in UTF-8 (CESU)
        [0x7b, 0xff, 0xfe, 0x7d],
      ]) {
        const response = await audit.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'POST',
          headers: {'content-type': 'application/json'},
          body: new Uint8Array(bytes),
        });
        await refused(response, 400, 'malformed_json');
      }
      // A leading byte order mark is dropped, as RFC 8259 allows; the operation is read as sent.
      const bom = await proxy.post(`\ufeff${JSON.stringify(productOffers('bom'))}`);
      assert.equal(bom.status, 200);
      assert.equal(api.graphqlCalls.at(-1)!.inputs.lineItems[0].product.identifier.sku, 'bom');
      api.graphqlCalls.length = 0;
    });
  });

  describe('odd Unicode in SKUs', () => {
    for (const [name, sku] of [
      ['a lone high surrogate', 'sku-\ud800'],
      ['a lone low surrogate', '\udc00-sku'],
      ['a NUL', 'sku\u0000-1'],
      ['a line break', 'sku\n-1'],
      ['only spaces', '   '],
      // It would make the SKU read otherwise in a log or a console (issue 13 item 12).
      ['a right-to-left override', 'sku-\u202egpj.exe'],
    ]) {
      it(`refuses a SKU with ${name} (invalid_variables), with no upstream call`, async () => {
        await refused(await proxy.post(productOffers(sku!)), 200, 'invalid_variables');
      });
    }

    for (const [name, sku] of [
      ['emoji', '📦-sku-🚀'],
      ['combining marks and CJK', 'ŝḱú-商品-\u0301'],
    ]) {
      it(`forwards a SKU with ${name} intact: it is text, and the API answers for it`, async () => {
        const response = await proxy.post(productOffers(sku!));
        assert.equal(response.status, 200);
        const sent = api.graphqlCalls.at(-1)!.inputs.lineItems[0].product.identifier.sku;
        assert.equal(sent, sku);
        api.graphqlCalls.length = 0;
      });
    }
  });

  describe('header injection (raw bytes over a socket)', () => {
    it('never reaches the proxy with a bare CR, a NUL or a folded line in the shopper token', async () => {
      for (const line of [
        `x-bwp-shopper-token: ${SHOPPER_TOKEN}\rx-injected: 1`,
        `x-bwp-shopper-token: ${SHOPPER_TOKEN}\u0000`,
        `x-bwp-shopper-token: ${SHOPPER_TOKEN}\r\n x-folded: 1`,
      ]) {
        const raw = scanned(await rawHttp(proxy.url, rawPost(proxy.url, [line])));
        await refused(raw, 400);
      }
    });

    it('refuses a shopper token with a tab, a Latin-1 byte, or sent twice, as invalid_shopper_token', async () => {
      for (const lines of [
        [`x-bwp-shopper-token: Atza|a\tb`],
        [`x-bwp-shopper-token: Atza|\u00ff`],
        [`x-bwp-shopper-token: ${SHOPPER_TOKEN}`, `x-bwp-shopper-token: Atza|second`],
      ]) {
        const raw = scanned(await rawHttp(proxy.url, rawPost(proxy.url, lines)));
        await refused(raw, 400, 'invalid_shopper_token');
      }
    });

    it('treats a CRLF-injected X-Forwarded-For as what it is, a client header, and forwards the real peer', async () => {
      const raw = scanned(
        await rawHttp(
          proxy.url,
          rawPost(proxy.url, [`x-bwp-shopper-token: Atza|abc\r\nX-Forwarded-For: 6.6.6.6`]),
        ),
      );
      assert.equal(statusOf(raw), 200);
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '127.0.0.1'});
      api.graphqlCalls.length = 0;
    });

    it('never echoes a request id it did not make safe, so no header can be smuggled into the answer', async () => {
      const raw = scanned(
        await rawHttp(
          proxy.url,
          rawPost(proxy.url, ['x-request-id: abc%0d%0aSet-Cookie:%20a=b', 'x-forwarded-host: evil.test']),
        ),
      );
      assert.doesNotMatch(raw, /set-cookie|evil\.test|%0d/i);
      assert.match(raw, /x-request-id: [0-9a-f-]{36}\r\n/i);
      api.graphqlCalls.length = 0;
    });

    it('refuses request smuggling: Content-Length together with Transfer-Encoding', async () => {
      const body = JSON.stringify(productOffers('a'));
      const raw = scanned(
        await rawHttp(
          proxy.url,
          [
            'POST /bwp/graphql HTTP/1.1',
            'Host: x',
            'Content-Type: application/json',
            `Content-Length: ${body.length}`,
            'Transfer-Encoding: chunked',
            '',
            `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\nPOST /bwp/graphql HTTP/1.1\r\n\r\n`,
          ].join('\r\n'),
        ),
      );
      await refused(raw, 400);
    });
  });

  describe('spoofed client IPs', () => {
    it('ignores X-Forwarded-For, X-Real-IP, Forwarded and CF-Connecting-IP by default: the socket is the client', async () => {
      const response = await proxy.post(productOffers('ip-1'), {
        'x-forwarded-for': '6.6.6.6, 7.7.7.7',
        'x-real-ip': '8.8.8.8',
        forwarded: 'for=9.9.9.9',
        'cf-connecting-ip': '10.10.10.10',
      });
      assert.equal(response.status, 200);
      assert.deepEqual(api.graphqlCalls.at(-1)!.variables.location, {ipAddress: '127.0.0.1'});
      api.graphqlCalls.length = 0;
    });

    it('behind one trusted proxy, takes only the rightmost entry and falls back to the peer when it is junk', async () => {
      const cases: Array<[string, string]> = [
        ['6.6.6.6, 203.0.113.9', '203.0.113.9'],
        [`${Array(1000).fill('6.6.6.6').join(', ')}, 2001:db8::1`, '2001:db8::1'],
        ['6.6.6.6, <script>', '127.0.0.1'],
        ['6.6.6.6, 999.1.1.1', '127.0.0.1'],
        ['', '127.0.0.1'],
      ];
      for (const [header, expected] of cases) {
        const response = await trusting.post(productOffers(`ip-${expected}`), {'x-forwarded-for': header});
        assert.equal(response.status, 200);
        assert.deepEqual(
          api.graphqlCalls.at(-1)!.variables.location,
          {ipAddress: expected},
          header.slice(0, 40),
        );
      }
      api.graphqlCalls.length = 0;
    });
  });

  describe('origins and CSRF', () => {
    for (const origin of [
      'null',
      'https://shop.example.evil.test',
      'https://evilshop.example',
      'http://shop.example',
      'https://shop.example:8443',
      'HTTPS://SHOP.EXAMPLE',
    ]) {
      it(`refuses the origin ${origin} on POST and preflight (403, no Access-Control-Allow-Origin, Vary: Origin)`, async () => {
        const post = await proxy.post(productOffers('a'), {origin});
        assert.equal(post.headers.get('access-control-allow-origin'), null);
        assert.match(post.headers.get('vary') ?? '', /origin/i);
        await refused(post, 403, 'origin_not_allowed');
        const preflight = await audit.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'OPTIONS',
          headers: {origin, 'access-control-request-method': 'POST'},
        });
        assert.equal(preflight.status, 403);
        assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      });
    }

    for (const type of [
      'text/plain;application/json',
      'text/plain; charset=application/json',
      'application/json-patch+json',
      'application/x-www-form-urlencoded; type=application/json',
      'multipart/form-data; boundary=application/json',
      'application/json5',
    ]) {
      it(`refuses the content type "${type}" with 415: a form or a simple request cannot pose as JSON`, async () => {
        const response = await audit.fetch(`${proxy.url}/bwp/graphql`, {
          method: 'POST',
          headers: {'content-type': type},
          body: JSON.stringify(productOffers('a')),
        });
        await refused(response, 415, 'unsupported_media_type');
      });
    }
  });
});

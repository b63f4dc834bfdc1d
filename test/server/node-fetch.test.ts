import assert from 'node:assert/strict';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {createNodeFetch} from '../../server/proxy/node-fetch.ts';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('the Node fetch of the proxy, against a real HTTP server', () => {
  let url = '';
  let handler: Handler = (_, __, response) => response.end();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString(), response));
  });
  const nodeFetch = createNodeFetch();

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  it('sends the method, headers and JSON body, and answers status, headers and body as fetch does', async () => {
    let seen: {method?: string; headers?: IncomingMessage['headers']; body?: string} = {};
    handler = (request, body, response) => {
      seen = {method: request.method, headers: request.headers, body};
      response.writeHead(503, {'content-type': 'application/json', 'retry-after': '7'});
      response.end('{"data":null}');
    };
    const init = {
      method: 'POST',
      headers: {'content-type': 'application/json', authorization: 'Bearer t', 'X-Api-Target-Id': 'x'},
      body: JSON.stringify({query: '{ a }', variables: {b: 'é'}}),
    };
    const ours = await nodeFetch(`${url}/graphql`, init);
    const oursSeen = seen;
    const theirs = await fetch(`${url}/graphql`, init);
    assert.equal(ours.status, theirs.status);
    assert.equal(ours.headers.get('retry-after'), '7');
    assert.equal(ours.headers.get('content-type'), theirs.headers.get('content-type'));
    assert.equal(await ours.text(), await theirs.text());
    assert.equal(oursSeen.method, 'POST');
    assert.equal(oursSeen.body, init.body);
    assert.equal(oursSeen.headers!['content-length'], String(Buffer.byteLength(init.body)));
    for (const name of ['content-type', 'authorization', 'x-api-target-id'])
      assert.equal(oursSeen.headers![name], seen.headers![name], name);
  });

  it('answers a Response that reads once, like fetch’s', async () => {
    handler = (_, __, response) => response.end('{"data":{"a":1}}');
    const response = await nodeFetch(`${url}/graphql`, {method: 'POST', body: '{}'});
    assert.ok(response instanceof Response);
    assert.equal(response.bodyUsed, false);
    assert.deepEqual(await response.json(), {data: {a: 1}});
    assert.equal(response.bodyUsed, true);
    await assert.rejects(response.text(), TypeError);
    const again = await nodeFetch(`${url}/graphql`, {method: 'POST', body: '{}'});
    assert.equal(new TextDecoder().decode(await again.arrayBuffer()), '{"data":{"a":1}}');
  });

  it('sends a form body with the type fetch gives it', async () => {
    let seen = {type: '', body: ''};
    handler = (request, body, response) => {
      seen = {type: request.headers['content-type'] ?? '', body};
      response.end('{}');
    };
    const body = new URLSearchParams({grant_type: 'client_credentials', client_id: 'a b'});
    await nodeFetch(`${url}/token`, {method: 'POST', body});
    assert.equal(seen.type, 'application/x-www-form-urlencoded;charset=UTF-8');
    assert.equal(seen.body, body.toString());
  });

  it('rejects with the signal’s reason when the signal aborts before the answer', async () => {
    handler = () => undefined; // never answers
    const controller = new AbortController();
    const pending = nodeFetch(`${url}/hang`, {method: 'POST', body: '{}', signal: controller.signal});
    const reason = new Error('deadline');
    controller.abort(reason);
    await assert.rejects(pending, (error) => error === reason);
  });

  it('rejects with a TypeError, as fetch does, when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(nodeFetch(`http://127.0.0.1:${port}/`, {method: 'POST', body: '{}'}), TypeError);
  });

  it('leaves a redirect to the global fetch, which follows it', async () => {
    handler = (request, _, response) => {
      if (request.url === '/old') response.writeHead(307, {location: '/new'}).end();
      else response.end(`at ${request.url}`);
    };
    const response = await nodeFetch(`${url}/old`, {method: 'POST', body: '{}'});
    assert.equal(await response.text(), 'at /new');
  });
});

import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {createSandbox} from '../../server/sandbox/sandbox.ts';
import {FRIDAY} from './sandbox-client.ts';

const QUERY = '{ shopperBwPEligibility(identityToken: {lwaAccessToken: {value: "x"}}) { shopperId } }';

function sandboxAt(start: Date, options = {}) {
  const clock = {now: start};
  const handler = createSandbox({now: () => clock.now, ...options});
  const call = (path: string, init: RequestInit) => handler(new Request(`http://sandbox.test${path}`, init));
  const token = async (init: RequestInit) => call('/token', {method: 'POST', ...init});
  const graphql = (headers: Record<string, string>) =>
    call('/graphql', {
      method: 'POST',
      headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify({query: QUERY}),
    });
  return {clock, call, token, graphql};
}

const formBody = 'grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-secret';

describe('sandbox auth', () => {
  it('issues a bearer token for 15 minutes to client credentials in a form body', async () => {
    const sandbox = sandboxAt(FRIDAY);
    const response = await sandbox.token({
      headers: {'content-type': 'application/x-www-form-urlencoded'},
      body: formBody,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.expires_in, 900);
    assert.equal(body.token_type, 'bearer');
  });

  it('issues a token to client credentials sent by HTTP Basic, and refuses wrong ones and other grants', async () => {
    const sandbox = sandboxAt(FRIDAY);
    const basic = (pair: string) => ({authorization: `Basic ${btoa(pair)}`});
    const ok = await sandbox.token({
      headers: basic('sandbox-client:sandbox-secret'),
      body: 'grant_type=client_credentials',
    });
    assert.equal(ok.status, 200);
    const wrong = await sandbox.token({
      headers: basic('sandbox-client:nope'),
      body: 'grant_type=client_credentials',
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as {error: string}).error, 'invalid_client');
    const code = await sandbox.token({body: formBody.replace('client_credentials', 'authorization_code')});
    assert.equal(code.status, 400);
    assert.equal(((await code.json()) as {error: string}).error, 'unsupported_grant_type');
  });

  it('answers AccessDeniedError with HTTP 401 and data null without a valid bearer token', async () => {
    const sandbox = sandboxAt(FRIDAY);
    for (const headers of [{}, {authorization: 'Bearer made-up'}, {authorization: 'Basic abc'}] as Record<
      string,
      string
    >[]) {
      const response = await sandbox.graphql({'x-api-target-id': 'sandbox-target', ...headers});
      assert.equal(response.status, 401);
      assert.deepEqual(await response.json(), {
        errors: [
          {
            message: 'You do not have sufficient access to perform this action.',
            extensions: {
              classification: {type: 'AccessDeniedError', errorType: 'AccessDeniedException', errorCode: 403},
            },
          },
        ],
        data: null,
      });
    }
  });

  it('answers AccessDeniedError with HTTP 403 for a missing or wrong x-api-target-id', async () => {
    const sandbox = sandboxAt(FRIDAY);
    const {access_token} = (await (await sandbox.token({body: formBody})).json()) as {access_token: string};
    for (const target of [{}, {'x-api-target-id': 'someone-else'}] as Record<string, string>[]) {
      const response = await sandbox.graphql({authorization: `Bearer ${access_token}`, ...target});
      assert.equal(response.status, 403);
      const body = (await response.json()) as {data: null; errors: any[]};
      assert.equal(body.data, null);
      assert.equal(body.errors[0].extensions.classification.type, 'AccessDeniedError');
    }
    const partner = await sandbox.graphql({
      authorization: `Bearer ${access_token}`,
      'x-omni-installationid': 'sandbox-target',
    });
    assert.equal(partner.status, 200);
  });

  it('expires tokens after their lifetime, configurable', async () => {
    const sandbox = sandboxAt(FRIDAY, {tokenTtlSeconds: 60});
    const body = (await (await sandbox.token({body: formBody})).json()) as {
      access_token: string;
      expires_in: number;
    };
    assert.equal(body.expires_in, 60);
    const headers = {authorization: `Bearer ${body.access_token}`, 'x-api-target-id': 'sandbox-target'};
    sandbox.clock.now = new Date(FRIDAY.getTime() + 59_000);
    assert.equal((await sandbox.graphql(headers)).status, 200);
    sandbox.clock.now = new Date(FRIDAY.getTime() + 60_000);
    assert.equal((await sandbox.graphql(headers)).status, 401);
  });

  it('uses configured credentials and never shows them on the IDE page', async () => {
    const sandbox = sandboxAt(FRIDAY, {
      clientId: 'merchant-id',
      clientSecret: 'merchant-secret',
      targetId: 'merchant-target',
    });
    assert.equal((await sandbox.token({body: formBody})).status, 401);
    const ok = await sandbox.token({
      body: 'grant_type=client_credentials&client_id=merchant-id&client_secret=merchant-secret',
    });
    assert.equal(ok.status, 200);
    const page = await (await sandbox.call('/graphql', {method: 'GET'})).text();
    assert.doesNotMatch(page, /merchant-secret|merchant-id|merchant-target/);
  });

  it('serves a self-contained IDE page at GET /graphql with the sandbox defaults and no external assets', async () => {
    const sandbox = sandboxAt(FRIDAY);
    const response = await sandbox.call('/graphql', {method: 'GET'});
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const page = await response.text();
    assert.match(page, /<textarea id="query"/);
    assert.match(page, /<textarea id="variables"/);
    assert.match(page, /<textarea id="headers"/);
    assert.match(page, /id="token"/);
    assert.match(page, /value="sandbox-secret"/);
    assert.doesNotMatch(page, /(src|href)="(https?:)?\/\//);
  });
});

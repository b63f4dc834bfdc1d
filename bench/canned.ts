// An upstream answer captured from the sandbox, so proxy benchmarks measure the proxy, not the sandbox's GraphQL.
import {PRODUCT_OFFERS, renderDocument} from '../server/operations/documents.ts';
import {createSandbox} from '../server/sandbox/sandbox.ts';

/** The sandbox's ProductOffers answer for one SKU, as the body text the API would send. */
export async function cannedOffers(): Promise<string> {
  const sandbox = createSandbox();
  const form = new URLSearchParams({grant_type: 'client_credentials', client_id: 'sandbox-client'});
  form.set('client_secret', 'sandbox-secret');
  const token = (await (
    await sandbox(new Request('http://s/token', {method: 'POST', body: form}))
  ).json()) as {access_token: string};
  const response = await sandbox(
    new Request('http://s/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token.access_token}`,
        'x-api-target-id': 'sandbox-target',
      },
      body: JSON.stringify(
        renderDocument(PRODUCT_OFFERS, {
          lineItems: [{product: {identifier: {sku: 'example-sku-1'}}}],
          location: {ipAddress: '127.0.0.1'},
        }),
      ),
    }),
  );
  return response.text();
}

// GET /graphql: a small, self-contained page to explore the sandbox (no CDN, works offline).
import {SANDBOX_SHOPPER_TOKENS} from './shoppers.ts';

const EXAMPLES: Record<string, {query: string; variables: unknown}> = {
  'offers: product page': {
    // As Amazon's own examples do, the input is written inline: its input type names are not documented.
    query: `query ProductPage {
  offers(input: {
    lineItems: [{product: {identifier: {sku: "example-sku-1"}}, amount: {unit: "ONE", value: 1}}]
    location: {ipAddress: "203.0.113.7"}
  }) {
    edges { node { id lineItems {
      product { sku { value } title offerPrime }
      deliveryOffer { summary { deliveryMessage { messageText badge } deliveryTerms { isPrimeEligible } } }
      reversalOffers { summary { title { value } resolutionTypes } }
    } } }
  }
}`,
    variables: {},
  },
  'offers: checkout (Prime shopper, full address)': {
    query: `query Checkout($location: DeliveryLocationInput!, $shopperIdentity: IdentityTokenInput) {
  offers(input: {
    lineItems: [
      {product: {identifier: {sku: "example-sku-1"}}, amount: {value: 1}}
      {product: {identifier: {sku: "example-sku-2"}}, amount: {value: 1}}
    ]
    location: $location
    shopperIdentity: $shopperIdentity
  }) {
    edges { node { id expiresAt lineItems {
      product { sku { value } offerPrime }
      deliveryOffer { details { id deliveryPreviewId date { earliest latest }
        policy { messaging { messageText badge } } price { totalPrice { amount currencyCode } } expiresAt } }
    } } }
    totalCount
  }
}`,
    variables: {
      location: {
        shippingAddress: {
          name: 'John Doe',
          streetAddress: '410 Terry Avenue N',
          locality: 'Seattle',
          region: 'WA',
          countryCode: 'US',
          postalCode: '98109',
        },
      },
      shopperIdentity: {lwaAccessToken: {value: SANDBOX_SHOPPER_TOKENS.lwaPrime}},
    },
  },
  deliveryPreview: {
    query: `query Preview($input: DeliveryPreviewInput!) {
  deliveryPreview(input: $input) {
    id
    deliveryGroups { id
      products { productIdentifier { __typename value } amount { value } }
      deliveryOffers { id price { totalPrice { amount currencyCode } } date { earliest latest }
        policy { messaging { messageText locale badge } } expiresAt }
    }
  }
}`,
    variables: {
      input: {
        products: [{productIdentifier: {sku: 'TEE-NAVY-M'}, amount: {value: 1}}],
        location: {shippingAddress: {postalCode: '10001'}},
      },
    },
  },
  shopperBwPEligibility: {
    query: `query Eligibility($token: String!) {
  shopperBwPEligibility(identityToken: {lwaAccessToken: {value: $token}}) { shopperId bwpEligibilityStatus }
}`,
    variables: {token: SANDBOX_SHOPPER_TOKENS.lwaNonPrime},
  },
};

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!,
  );

/** The page; `defaults` are prefilled only when the sandbox runs with the public sandbox credentials. */
export function idePage(defaults: {clientId: string; clientSecret: string; targetId: string}): string {
  const data = JSON.stringify({examples: EXAMPLES, tokens: SANDBOX_SHOPPER_TOKENS}).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Buy with Prime sandbox</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; display: grid; grid-template-columns: 1fr 1fr; height: 100vh; }
  section { display: flex; flex-direction: column; gap: 6px; padding: 10px; min-height: 0; }
  textarea, pre { font: 13px/1.35 ui-monospace, monospace; border: 1px solid #bbb; border-radius: 4px; padding: 6px; }
  #query { flex: 3; } #variables { flex: 1; } #headers { height: 4.5em; }
  pre { flex: 1; margin: 0; overflow: auto; background: #f6f6f6; white-space: pre-wrap; }
  .row { display: flex; gap: 6px; flex-wrap: wrap; align-items: center; }
  label { font-weight: 600; } input { width: 10em; }
</style>
</head>
<body>
<section>
  <div class="row">
    <label for="example">Example</label> <select id="example"></select>
    <button id="run" type="button"><strong>Run</strong> (Ctrl+Enter)</button>
  </div>
  <label for="query">Query</label>
  <textarea id="query" spellcheck="false"></textarea>
  <label for="variables">Variables (JSON)</label>
  <textarea id="variables" spellcheck="false"></textarea>
  <label for="headers">Headers (JSON)</label>
  <textarea id="headers" spellcheck="false">${escape(JSON.stringify({authorization: 'Bearer ', 'x-api-target-id': defaults.targetId}))}</textarea>
  <div class="row">
    <label for="client-id">Client id</label> <input id="client-id" value="${escape(defaults.clientId)}">
    <label for="client-secret">secret</label> <input id="client-secret" type="password" value="${escape(defaults.clientSecret)}">
    <button id="token" type="button">Get token</button>
  </div>
  <div class="row">
    <label for="shopper">Shopper token</label> <select id="shopper"><option value="">(copy a sandbox token)</option></select>
  </div>
</section>
<section>
  <label for="result">Response <span id="status"></span></label>
  <pre id="result" tabindex="0"></pre>
</section>
<script type="module">
const {examples, tokens} = ${data};
const $ = (id) => document.getElementById(id);
for (const name of Object.keys(examples)) $('example').append(new Option(name, name));
for (const [name, value] of Object.entries(tokens)) $('shopper').append(new Option(name, value));
const load = () => {
  const e = examples[$('example').value];
  $('query').value = e.query;
  $('variables').value = JSON.stringify(e.variables, null, 2);
};
$('example').addEventListener('change', load);
load();
$('shopper').addEventListener('change', async () => {
  const value = $('shopper').value;
  if (value) { await navigator.clipboard?.writeText(value).catch(() => {}); $('status').textContent = 'shopper token copied'; }
});
const show = (status, text) => {
  $('status').textContent = status;
  try { text = JSON.stringify(JSON.parse(text), null, 2); } catch {}
  $('result').textContent = text;
};
$('token').addEventListener('click', async () => {
  const body = new URLSearchParams({grant_type: 'client_credentials', client_id: $('client-id').value, client_secret: $('client-secret').value});
  const response = await fetch('token', {method: 'POST', body});
  const text = await response.text();
  show('token: HTTP ' + response.status, text);
  if (response.ok) {
    const headers = JSON.parse($('headers').value || '{}');
    headers.authorization = 'Bearer ' + JSON.parse(text).access_token;
    $('headers').value = JSON.stringify(headers);
  }
});
const run = async () => {
  let variables, headers;
  try { variables = JSON.parse($('variables').value || '{}'); headers = JSON.parse($('headers').value || '{}'); }
  catch (error) { return show('invalid JSON', String(error)); }
  const started = performance.now();
  try {
    const response = await fetch('graphql', {method: 'POST', headers: {'content-type': 'application/json', ...headers},
      body: JSON.stringify({query: $('query').value, variables})});
    show('HTTP ' + response.status + ' in ' + Math.round(performance.now() - started) + ' ms', await response.text());
  } catch (error) { show('network error', String(error)); }
};
$('run').addEventListener('click', run);
document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) run(); });
</script>
</body>
</html>`;
}

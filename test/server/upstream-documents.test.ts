// The text sent upstream names only what Amazon documents; the sandbox punishes a guessed name; docs/ lists every name used.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import {Kind, parse, validate, valueFromASTUntyped, visit, type DocumentNode} from 'graphql';
import {createProxy} from '../../server/proxy/proxy.ts';
import {createSchema} from '../../server/sandbox/schema.ts';
import {ADDRESS, CLIENT_ID, CLIENT_SECRET, createAudit, fakeApi, TARGET_ID} from './proxy-fixtures.ts';

const audit = createAudit();

/** One request for each persisted document, with every kind of product identifier the proxy accepts. */
const REQUESTS = [
  {
    documentId: 'ProductOffers.v1',
    variables: {
      lineItems: [
        {product: {identifier: {sku: 'sku-1'}}, amount: {unit: 'ONE', value: 2}},
        {product: {productId: 'pid-2'}, deliveryTerms: {isPrimeEligible: true}},
        {product: {identifier: {productId: 'pid-3'}}},
        {product: {identifier: {externalId: 'ext-4'}}},
      ],
    },
  },
  {
    documentId: 'CheckoutOffers.v1',
    variables: {lineItems: [{product: {identifier: {sku: 'sku-1'}}}], shippingAddress: ADDRESS},
  },
  {
    documentId: 'DeliveryPreview.v1',
    variables: {
      products: [{productIdentifier: {sku: 'sku-1'}, amount: {value: 1}}],
      shippingAddress: ADDRESS,
    },
  },
];

/** What the proxy sends upstream for each request (with a shopper identity, so its variable is used too). */
async function sentUpstream(body: unknown = REQUESTS) {
  const api = audit.watch(fakeApi());
  const proxy = createProxy({
    apiUrl: 'http://api.test/graphql',
    tokenUrl: 'http://api.test/token',
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    targetId: TARGET_ID,
    fetch: api.fetch,
    logger: audit.logger,
    rateLimiter: false,
  });
  const response = await proxy(
    new Request('http://proxy.test/bwp/graphql', {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-bwp-shopper-token': 'Atza|names-test'},
      body: JSON.stringify(body),
    }),
    {clientIp: '198.51.100.1'},
  );
  audit.record(await response.text());
  return api.graphqlCalls;
}

/** Every input type a document's variables declare, and every field name it selects or writes in a literal. */
function namesIn(document: DocumentNode) {
  const types = new Set<string>();
  const fields = new Set<string>();
  visit(document, {
    VariableDefinition: (node) => {
      visit(node.type, {NamedType: (named) => void types.add(named.name.value)});
    },
    Field: (node) => void fields.add(node.name.value),
    ObjectField: (node) => void fields.add(node.name.value),
    Argument: (node) => void fields.add(node.name.value),
  });
  return {types, fields};
}

/** The names docs/api-names.md lists, each with the documentation page it comes from. */
function documentedNames() {
  const text = readFileSync(new URL('../../docs/api-names.md', import.meta.url), 'utf8');
  const names = new Map<string, string>();
  for (const line of text.split('\n')) {
    const row = /^\|\s*`([A-Za-z_]+)`\s*\|\s*([^|]+?)\s*\|\s*(https:\/\/\S+?)\s*\|/.exec(line);
    if (row) names.set(`${row[2]}:${row[1]}`, row[3]!);
  }
  return names;
}

describe('the text sent upstream', () => {
  it('declares only input types that Amazon documents: DeliveryLocationInput and IdentityTokenInput', async () => {
    const calls = await sentUpstream();
    assert.equal(calls.length, 3);
    const declared = new Set(calls.flatMap((call) => [...namesIn(parse(call.query)).types]));
    assert.deepEqual([...declared].sort(), ['DeliveryLocationInput', 'IdentityTokenInput']);
  });

  it('writes the validated line items into the text as literals equal to what the browser sent', async () => {
    const calls = await sentUpstream();
    for (const [index, call] of calls.entries()) {
      const sent = REQUESTS[index]!.variables as Record<string, unknown>;
      const literals: Record<string, unknown> = {};
      visit(parse(call.query), {
        ObjectField: (node) => {
          if (['lineItems', 'products', 'shippingAddress'].includes(node.name.value))
            // graphql-js builds prototype-less objects; JSON gives plain ones to compare.
            literals[node.name.value] = JSON.parse(JSON.stringify(valueFromASTUntyped(node.value)));
        },
      });
      for (const name of ['lineItems', 'products', 'shippingAddress'].filter((name) => name in sent)) {
        assert.ok(!(name in call.variables), `${name} is not also sent as a variable`);
        if (name === 'shippingAddress') assert.deepEqual(literals[name], sent[name]);
        else {
          const lines = literals[name] as Array<Record<string, unknown>>;
          const asked = sent[name] as Array<Record<string, unknown>>;
          assert.deepEqual(
            lines.map((line) => line.product ?? line.productIdentifier),
            asked.map((line) => line.product ?? line.productIdentifier),
          );
        }
      }
      assert.deepEqual(call.variables.shopperIdentity, {lwaAccessToken: {value: 'Atza|names-test'}});
    }
  });

  it('keeps a SKU that looks like GraphQL a string: quotes, braces, backslashes and comments change nothing', async () => {
    const sku = '"}]) { __typename } # \\" \u2028 $lineItems';
    const [call] = await sentUpstream({
      documentId: 'ProductOffers.v1',
      variables: {lineItems: [{product: {identifier: {sku}}}]},
    });
    const ast = parse(call!.query);
    assert.equal(ast.definitions.length, 1);
    let found: unknown;
    visit(ast, {
      ObjectField: (node) => {
        if (node.name.value === 'sku' && node.value.kind === Kind.STRING) found = node.value.value;
      },
    });
    assert.equal(found, sku);
    assert.deepEqual(validate(createSchema(), ast), []);
  });

  it('validates against the sandbox schema, document by document, exactly as sent', async () => {
    const schema = createSchema();
    for (const call of await sentUpstream())
      assert.deepEqual(validate(schema, parse(call.query)).map(String), [], call.query.slice(0, 40));
  });
});

describe('the sandbox and undocumented names', () => {
  it('refuses a document that guesses an undocumented input type name (OfferLineItemInput, OffersInput, …)', () => {
    const schema = createSchema();
    for (const guess of [
      'OffersInput',
      'OfferLineItemInput',
      'ShippingAddressInput',
      'DeliveryPreviewProductInput',
      'ProductIdentifierInput',
    ]) {
      const document = parse(`query ($x: ${guess}) { __typename }`);
      assert.match(validate(schema, document).map(String).join('\n'), /Unknown type/, guess);
    }
  });

  it('still knows the documented input types by their documented names', () => {
    const schema = createSchema();
    for (const name of [
      'DeliveryLocationInput',
      'IdentityTokenInput',
      'DeliveryPreviewInput',
      'CreateOrderInput',
    ])
      assert.ok(schema.getType(name), name);
  });
});

describe('docs/api-names.md', () => {
  it('lists every type and field name the documents rely on, each with its documentation page', async () => {
    const listed = documentedNames();
    const missing: string[] = [];
    for (const call of await sentUpstream()) {
      const {types, fields} = namesIn(parse(call.query));
      for (const type of types) if (!listed.has(`input type:${type}`)) missing.push(`input type ${type}`);
      // __typename is GraphQL's own, in every schema.
      for (const field of fields)
        if (!field.startsWith('__') && !listed.has(`field:${field}`)) missing.push(`field ${field}`);
    }
    assert.deepEqual([...new Set(missing)], []);
    for (const page of listed.values())
      assert.match(page, /^https:\/\/documents\.buywithprime\.amazon\.com\//, 'a public Amazon page');
  });
});

// What an upstream call asked for: its variables, and the inputs the proxy wrote into the text as literals.
import {Kind, parse, valueFromASTUntyped, visit} from 'graphql';

const INLINED = new Set(['lineItems', 'products', 'shippingAddress']);

/**
 * The variables of a GraphQL request body merged with its inlined inputs (line items, products,
 * shipping address), as plain JSON values.
 * @example
 * const {lineItems} = upstreamInputs(await request.json());
 */
export function upstreamInputs(body: {query: string; variables?: Record<string, any>}): Record<string, any> {
  const inputs: Record<string, any> = {...body.variables};
  visit(parse(body.query), {
    ObjectField: (node) => {
      if (INLINED.has(node.name.value) && node.value.kind !== Kind.VARIABLE)
        // graphql-js builds prototype-less objects; JSON gives plain ones to compare.
        inputs[node.name.value] = JSON.parse(JSON.stringify(valueFromASTUntyped(node.value)));
    },
  });
  return inputs;
}

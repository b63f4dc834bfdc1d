/** The proxy URL for an element: its own attribute, else `<meta name="bwp-endpoint">`, else /bwp/graphql. */
export function resolveEndpoint(attribute: string | null | undefined, doc: Document = document): string {
  const raw =
    attribute || doc.querySelector<HTMLMetaElement>('meta[name="bwp-endpoint"]')?.content || '/bwp/graphql';
  return new URL(raw, doc.baseURI).href;
}

/** Registers a tag once; a second copy of the bundle on the page warns instead of throwing. */
export function define(tag: string, ctor: CustomElementConstructor): void {
  const existing = customElements.get(tag);
  if (!existing) customElements.define(tag, ctor);
  else if (existing !== ctor) console.warn(`<${tag}> is already defined; keeping the first.`);
}

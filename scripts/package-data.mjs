// Editor data generated from custom-elements.json: VS Code HTML and CSS custom data, JetBrains web-types.
// Pure functions of the manifest, used by scripts/package.mjs.

/** Every custom element declaration with a tag, in manifest order. */
export const elementsOf = (manifest) =>
  manifest.modules.flatMap((mod) =>
    (mod.declarations ?? [])
      .filter((d) => d.customElement && d.tagName)
      .map((d) => ({...d, module: mod.path})),
  );

/** The quoted literals of a union type text such as `'inline' | 'compact'` (none when it is not a union of them). */
export function literals(typeText = '') {
  const parts = typeText
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p !== 'undefined' && p !== 'null');
  return parts.length > 0 && parts.every((p) => /^'[^']*'$/.test(p)) ? parts.map((p) => p.slice(1, -1)) : [];
}

/** https://github.com/microsoft/vscode-custom-data: `html.customData` in .vscode/settings.json. */
export function vscodeHtmlData(manifest) {
  return {
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-html-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    tags: elementsOf(manifest).map((el) => ({
      name: el.tagName,
      description: description(el),
      attributes: (el.attributes ?? []).map((a) => {
        const values = literals(a.type?.text);
        return {
          name: a.name,
          description: a.description ?? '',
          ...(values.length ? {values: values.map((name) => ({name}))} : {}),
        };
      }),
    })),
  };
}

/** `css.customData`: the custom properties and the ::part() names. */
export function vscodeCssData(manifest) {
  const elements = elementsOf(manifest);
  const properties = new Map();
  for (const el of elements)
    for (const p of el.cssProperties ?? [])
      if (!properties.has(p.name))
        properties.set(p.name, {name: p.name, description: `${p.description ?? ''} (<${el.tagName}>)`});
  const parts = new Map();
  for (const el of elements)
    for (const p of el.cssParts ?? []) {
      const seen = parts.get(p.name);
      parts.set(p.name, seen ? {...seen, tags: [...seen.tags, el.tagName]} : {...p, tags: [el.tagName]});
    }
  return {
    $schema:
      'https://raw.githubusercontent.com/microsoft/vscode-css-languageservice/main/docs/customData.schema.json',
    version: 1.1,
    properties: [...properties.values()],
    pseudoElements: [...parts.values()].map((p) => ({
      name: `::part(${p.name})`,
      description: `${p.description ?? ''} (${p.tags.map((t) => `<${t}>`).join(', ')})`,
    })),
  };
}

/** https://github.com/JetBrains/web-types: the `web-types` field of package.json. */
export function webTypes(manifest, pkg) {
  return {
    $schema: 'https://json.schemastore.org/web-types',
    name: pkg.name,
    version: pkg.version,
    'description-markup': 'markdown',
    contributions: {
      html: {
        elements: elementsOf(manifest).map((el) => ({
          name: el.tagName,
          description: description(el),
          attributes: (el.attributes ?? []).map((a) => {
            const values = literals(a.type?.text);
            return {
              name: a.name,
              description: a.description ?? '',
              ...(a.default ? {default: a.default} : {}),
              value: values.length
                ? {type: values.map((v) => `'${v}'`).join(' | '), kind: 'plain'}
                : {type: a.type?.text ?? 'string', kind: 'plain'},
            };
          }),
          slots: (el.slots ?? []).map((s) => ({name: s.name, description: s.description ?? ''})),
          events: (el.events ?? []).map((e) => ({name: e.name, description: e.description ?? ''})),
          js: {
            properties: publicFields(el).map((m) => ({
              name: m.name,
              description: m.description ?? '',
              type: m.type?.text,
            })),
            events: (el.events ?? []).map((e) => ({name: e.name, description: e.description ?? ''})),
          },
          css: {
            properties: (el.cssProperties ?? []).map((p) => ({
              name: p.name,
              description: p.description ?? '',
            })),
            parts: (el.cssParts ?? []).map((p) => ({name: p.name, description: p.description ?? ''})),
          },
        })),
      },
    },
  };
}

/** Public fields a merchant can set or read (no protected, no static). */
export const publicFields = (el) =>
  (el.members ?? []).filter((m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public');

const description = (el) => (el.description ?? '').replace(/\s*\n\s*/g, ' ').trim();

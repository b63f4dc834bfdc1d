// `cem analyze` (run by scripts/package.mjs): custom-elements.json from the components' JSDoc.
// Our tags are registered by define('bwp-x', Class) (a guard against double loading), which the
// analyzer cannot see; the plugin below records those calls. Module paths are rewritten to the
// published files (src/x.ts -> dist/npm/x.js) and private members are left out.

/** `define('tag', Class)` calls, found in the define modules. */
function defineCalls() {
  const definitions = [];
  return {
    name: 'bwp-define-calls',
    analyzePhase({ts, node, moduleDoc}) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return;
      if (node.expression.text !== 'define') return;
      const [tag, ctor] = node.arguments;
      if (!tag || !ctor || !ts.isStringLiteral(tag) || !ts.isIdentifier(ctor)) return;
      definitions.push({modulePath: moduleDoc.path, tag: tag.text, className: ctor.text});
    },
    packageLinkPhase({customElementsManifest}) {
      const classes = new Map();
      for (const mod of customElementsManifest.modules)
        for (const declaration of mod.declarations ?? [])
          if (declaration.kind === 'class') classes.set(declaration.name, {declaration, path: mod.path});
      for (const {modulePath, tag, className} of definitions) {
        const found = classes.get(className);
        if (!found)
          throw new Error(`define('${tag}', ${className}): class ${className} is not in the manifest`);
        found.declaration.customElement = true;
        found.declaration.tagName = tag;
        const mod = customElementsManifest.modules.find((m) => m.path === modulePath);
        mod.exports = [
          ...(mod.exports ?? []),
          {kind: 'custom-element-definition', name: tag, declaration: {name: className, module: found.path}},
        ];
      }
    },
  };
}

/** Type aliases written out where members use them (`state: ElementState` shows its four values). */
function expandAliases() {
  const aliases = new Map();
  return {
    name: 'bwp-expand-aliases',
    analyzePhase({ts, node}) {
      if (ts.isTypeAliasDeclaration(node)) aliases.set(node.name.text, node.type.getText());
    },
    packageLinkPhase({customElementsManifest}) {
      for (const mod of customElementsManifest.modules)
        for (const declaration of mod.declarations ?? [])
          for (const {type} of [...(declaration.members ?? []), ...(declaration.attributes ?? [])])
            // An alias of an alias (CheckoutState = ElementState) is followed to the end.
            while (type && aliases.has(type.text)) type.text = aliases.get(type.text);
    },
  };
}

const published = (path) => path.replace(/^\/?src\//, 'dist/npm/').replace(/\.ts$/, '.js');

/** Published paths, public members only. */
function publicApi() {
  const isPrivate = (member) => member.privacy === 'private' || member.name.startsWith('#');
  const fixModule = (ref) => {
    if (ref?.module) ref.module = published(ref.module);
  };
  return {
    name: 'bwp-public-api',
    packageLinkPhase({customElementsManifest}) {
      for (const mod of customElementsManifest.modules) {
        mod.path = published(mod.path);
        // The analyzer reads customElements.define(tag, ctor) inside define() itself as a definition.
        mod.exports = mod.exports?.filter(
          (e) => e.kind !== 'custom-element-definition' || e.name.includes('-'),
        );
        for (const declaration of mod.declarations ?? []) {
          fixModule(declaration.superclass);
          if (declaration.members) declaration.members = declaration.members.filter((m) => !isPrivate(m));
          for (const item of [...(declaration.members ?? []), ...(declaration.attributes ?? [])])
            fixModule(item.inheritedFrom);
        }
        for (const entry of mod.exports ?? []) fixModule(entry.declaration);
      }
    },
  };
}

export default {
  globs: ['src/index.ts', 'src/define.ts', 'src/components/**/*.ts'],
  exclude: ['src/**/*.styles.ts'],
  outdir: 'dist/npm',
  litelement: true,
  packagejson: false,
  dependencies: false,
  plugins: [defineCalls(), expandAliases(), publicApi()],
};

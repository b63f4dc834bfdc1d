import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';

// The import rules of docs/architecture.md: the layers point one way. ESLint keeps only the last matching options
// of a rule, so a directory's rule repeats its parent's patterns. Patterns match the specifier as written.
const NO_SERVER = {
  regex: '(^|/)server/',
  message:
    'src/ runs in the browser and never imports server/; what both sides share is src/api/protocol.ts.',
};
const NO_COMPONENTS = {
  regex: '(^|/)components/',
  message: 'src/api is the data layer under the elements and never imports src/components.',
};
const NO_SANDBOX = {
  regex: '(^|/)sandbox(/|$)',
  message:
    'server/proxy must deploy without the sandbox: only server/proxy/main.ts and server/dev wire it in.',
};
const NO_PROXY = {
  regex: '(^|/)proxy(/|$)',
  message: 'The sandbox plays the API, independent of the proxy: it never imports server/proxy.',
};
const importRules = (...patterns) => ({'no-restricted-imports': ['error', {patterns}]});

export default tseslint.config(
  {ignores: ['node_modules/', 'dist/', 'bench/results/', 'bench/.peers/', 'bench/.out/']},
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/components/**/*.ts'],
    plugins: {lit, 'lit-a11y': litA11y, wc},
    rules: {
      ...lit.configs.recommended.rules,
      ...litA11y.configs.recommended.rules,
      ...wc.configs.recommended.rules,
    },
    settings: {wc: {elementBaseClasses: ['LitElement']}},
  },
  {files: ['src/**/*.ts'], rules: importRules(NO_SERVER)},
  {files: ['src/api/**/*.ts'], rules: importRules(NO_SERVER, NO_COMPONENTS)},
  {files: ['server/proxy/**/*.ts'], ignores: ['server/proxy/main.ts'], rules: importRules(NO_SANDBOX)},
  {files: ['server/sandbox/**/*.ts'], rules: importRules(NO_PROXY)},
  {
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off'},
  },
);

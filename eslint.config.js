import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import wc from 'eslint-plugin-wc';

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
  {
    files: ['test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off'},
  },
);

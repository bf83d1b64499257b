// Lint rules. Beyond the recommended sets, the layer rules of STYLE.md: src/shared imports no
// Node, DOM or Electron; only the Electron shell and the preload may import electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = ['fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net', 'url', 'util', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/shell and src/preload may import electron.' }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared runs everywhere: no Electron.' }],
          patterns: [
            { group: ['node:*', ...nodeBuiltins], message: 'src/shared runs everywhere: no Node modules.' },
            { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared may import only src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/shell/**/*.ts', 'src/preload/**/*.ts', 'test/unit/shell/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the back end only through the StudioClient.' }],
          patterns: [{ group: ['node:*', ...nodeBuiltins, '**/main/**', '**/preload/**'], message: 'The renderer has no Node: use the StudioClient.' }],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs}', 'bench/**/*.{js,mjs,ts}', '*.config.{js,ts}', 'electron.vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
);

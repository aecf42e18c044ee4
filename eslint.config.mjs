// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node globals for the plain-JS scripts (deploy/, scripts/, config files); no `globals` package needed. */
const nodeGlobals = Object.fromEntries(
  [
    'process',
    'console',
    'Buffer',
    'URL',
    'URLSearchParams',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'fetch',
    'performance',
  ].map((name) => [name, 'readonly']),
);
const commonJsGlobals = {
  module: 'writable',
  require: 'readonly',
  __dirname: 'readonly',
  __filename: 'readonly',
};

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '.data/',
    '.cache/',
    'coverage/',
    'test-output/',
    'apps/admin/web/dist/',
  ]),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
    },
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Implementations of Promise-returning contracts (ports, kafkajs `eachMessage`, Nest hooks,
      // in-memory fakes) are often async without awaiting; the real hazards are covered by the
      // two promise rules below, and this one only pushes toward `return Promise.resolve(x)`.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      // Cross-lib imports go through `@isohub/*` and the lib's index.ts (STYLE.md, "Code");
      // dependency-cruiser checks the exact boundaries, this catches the climb while typing.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Shared test support in the root test/ folder is fine to reach.
              regex: '^(\\.\\./){3,}(?!\\.\\./|test/)|^(\\.\\./)+(libs|apps)/',
              message: 'Do not climb out of a lib or app; import other libs through their @isohub/* alias.',
            },
            {
              regex: '^@isohub/.+/src(/|$)',
              message: "Import the lib's public API (@isohub/<lib>), not its files.",
            },
          ],
        },
      ],
    },
  },
  {
    // Cross-app scenarios boot the apps themselves, so they reach into apps/ (which have no alias);
    // libs still come through their alias.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+libs/',
              message: 'Import libs through their @isohub/* alias.',
            },
            {
              regex: '^@isohub/.+/src(/|$)',
              message: "Import the lib's public API (@isohub/<lib>), not its files.",
            },
          ],
        },
      ],
    },
  },
  {
    // vitest's `expect(mock.method)` passes methods unbound on purpose.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, ...commonJsGlobals } },
  },
);

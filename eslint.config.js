// Lint rules that catch real defects (not style; Prettier formats): promises nobody awaits or handles, and imports
// that break the one direction of the layers (app → server → db, with common below both server and components).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', 'data/**', '.test-data/**', 'db/migrations/**', '**/*.mjs', '**/*.js', 'next-env.d.ts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // On the server a rejected promise nobody handles can end the process with unwritten updates: `void f()` does not
    // count as handling it there; it must be awaited, caught, or returned.
    files: ['server/**/*.ts', 'db/**/*.ts', 'common/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: false, ignoreIIFE: false }] },
  },
  {
    files: ['components/**/*.ts', 'components/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/db/**', '@/server/*', '@/db/*'], message: 'components/ imports common/ only: what the browser needs from the server comes over the API.' }] }],
    },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/db/**', '**/components/**', '**/app/**', 'react', 'next', 'next/*'], message: 'common/ is framework-free and imports nothing of the layers above it.' }] }],
    },
  },
  {
    files: ['server/**/*.ts', 'db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/components/**', '**/app/**'], message: 'server/ and db/ never import the UI.' }] }],
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/components/**', '**/app/**'], message: 'db/ is the bottom layer (common/ only).' }] }],
    },
  },
);

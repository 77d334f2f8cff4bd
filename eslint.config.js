import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.bin', 'data', 'coverage', 'store', 'public/assets'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Redis: KEYS blocks the server and FLUSH* wipes queues; delete read models by family
    // through src/redis/keys.ts (SCAN) instead.
    files: ['src/**/*.ts', 'workers/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['keys', 'flushdb', 'flushall'].map((method) => ({
          selector: `CallExpression[callee.property.name='${method}'][callee.object.name=/redis/i], CallExpression[callee.property.name='${method}'][callee.object.property.name=/redis/i]`,
          message: `Redis ${method.toUpperCase()} is not used here: see dropReadModel/scanKeys in src/redis/keys.ts`,
        })),
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);

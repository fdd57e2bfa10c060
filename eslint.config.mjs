import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', '**/*.mjs', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The core knows nothing of VS Code: it is tested in plain Node.
    files: ['src/powershell/**/*.ts', 'src/hyperv/**/*.ts', 'src/migration/**/*.ts', 'src/plans/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The core layers never import vscode.' }],
          patterns: [
            {
              group: ['**/panel', '**/panel/**', '**/commands', '**/commands/**', '**/editor', '**/editor/**', '**/tree', '**/tree/**'],
              message: 'The core (powershell, hyperv, migration, plans) never imports the UI folders (panel, commands, editor, tree).',
            },
          ],
        },
      ],
    },
  },
  {
    // The fleet panel's jobs are plain Node (tested so): VS Code is reached through their FleetJobContext.
    files: ['src/panel/fleet/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The fleet jobs never import vscode: ask the panel through FleetJobContext.' }],
          patterns: [{ group: ['**/logger'], message: 'src/logger.ts imports vscode: report through FleetJobContext.' }],
        },
      ],
    },
  },
  {
    // The editor's plan support is used by the commands, never the other way round.
    files: ['src/editor/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/commands', '**/commands/**'], message: 'src/editor never imports src/commands (no cycle).' }] },
      ],
    },
  },
  {
    // No god files: a source file that grows past 500 lines is split by what its parts do.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 500, skipBlankLines: false, skipComments: false }] },
  },
);

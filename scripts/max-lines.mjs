// No god files: every source file under src/ and webview/ (TypeScript, the lab's and the hosts' PowerShell, the
// webviews' CSS and HTML) stays at 500 lines or fewer, blank lines and comments counted. ESLint's max-lines says
// the same of the TypeScript in the editor; this covers every language, and `npm run lint` runs it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIMIT = 500;
const SOURCE = /\.(ts|mts|mjs|js|ps1|psm1|css|html)$/;

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'src', 'webview'], { encoding: 'utf8' })
  .split('\n')
  .filter((file) => SOURCE.test(file));

const over = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // listed by git but deleted in the working tree
  }
  const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
  if (lines > LIMIT) over.push(`${file}: ${lines} lines (at most ${LIMIT}: split it by what its parts do)`);
}

if (over.length > 0) {
  console.error(over.join('\n'));
  process.exit(1);
}

/**
 * `npm run lint:layers`: the folders are the layers (DESIGN.md), and each may import only the folders
 * below it. Reads every relative import (static, `export ... from`, dynamic `import()`) of src/ and
 * commands/, and fails on an import of a folder above, which also rules out two folders importing each
 * other; the src/ root must hold folders only. Also run by the test suite (test/layers.test.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Top first: a folder may import any folder after it in this list, none before it. */
export const LAYERS: readonly string[] = [
  'src/app',
  'src/cli',
  'src/chat',
  'commands',
  'src/diary',
  'src/backtest',
  'src/notify',
  'src/charts',
  'src/scanner',
  'src/trading',
  'src/schedule',
  'src/market',
  'src/store',
  'src/analysis',
  'src/config',
  'src/core',
];

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return filesUnder(path);
    return /\.[cm]?[jt]s$/.test(e.name) ? [path] : [];
  });
}

const posix = (path: string) => path.split(sep).join('/');

function layerOf(file: string): string | undefined {
  return LAYERS.find((layer) => file === layer || file.startsWith(`${layer}/`));
}

/** Every rule broken under `root`, one line each ("src/market/x.ts imports src/scanner/y.ts: market is below scanner"). */
export function layerProblems(root: string): string[] {
  const problems: string[] = [];
  const srcRoot = join(root, 'src');
  for (const entry of readdirSync(srcRoot)) {
    if (!statSync(join(srcRoot, entry)).isDirectory()) problems.push(`src/${entry}: the src/ root holds folders only; move it into its layer`);
  }
  for (const top of ['src', 'commands']) {
    for (const file of filesUnder(join(root, top))) {
      const from = posix(relative(root, file));
      const fromLayer = layerOf(from);
      if (!fromLayer) {
        if (from.startsWith('src/') && from.split('/').length > 2) problems.push(`${from}: in no known layer; add its folder to LAYERS`);
        continue;
      }
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const target = posix(relative(root, resolve(dirname(file), match[1]!)));
        const toLayer = layerOf(target);
        if (!toLayer || toLayer === fromLayer) continue;
        if (LAYERS.indexOf(toLayer) < LAYERS.indexOf(fromLayer)) {
          problems.push(`${from} imports ${target}: ${fromLayer} is below ${toLayer}, so it may not import it`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = layerProblems(root);
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.stdout.write(problems.length === 0 ? `layers: ok (${LAYERS.length} layers, each importing only downward)\n` : '');
  process.exitCode = problems.length === 0 ? 0 : 1;
}

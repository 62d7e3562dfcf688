import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { layerProblems } from '../../scripts/lint-layers.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A throwaway tree: path -> file text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'hx-layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'commands'), { recursive: true });
  return root;
}

describe('the layer rule', () => {
  it('should hold for this repository: every folder imports only the folders below it', () => {
    expect(layerProblems(ROOT)).toEqual([]);
  });

  it('should name an upward import, however it is written', () => {
    const root = tree({
      'src/market/a.ts': "import { x } from '../scanner/b.ts';\nexport { y } from '../scanner/b.ts';\nconst z = await import('../app/c.ts');\n",
      'src/scanner/b.ts': "import type { Bar } from '../core/types.ts';\n",
      'src/core/types.ts': 'export type Bar = {};\n',
      'src/app/c.ts': '',
    });
    expect(layerProblems(root)).toEqual([
      'src/market/a.ts imports src/scanner/b.ts: src/market is below src/scanner, so it may not import it',
      'src/market/a.ts imports src/scanner/b.ts: src/market is below src/scanner, so it may not import it',
      'src/market/a.ts imports src/app/c.ts: src/market is below src/app, so it may not import it',
    ]);
  });

  it('should refuse files in the src/ root and folders that are no layer', () => {
    const root = tree({ 'src/main.ts': '', 'src/misc/x.ts': '' });
    expect(layerProblems(root)).toEqual([
      'src/main.ts: the src/ root holds folders only; move it into its layer',
      'src/misc/x.ts: in no known layer; add its folder to LAYERS',
    ]);
  });
});

/**
 * @module Where the package's own files are: the bundled data folder (`data/` at the package root), found by
 * walking up from this module to the nearest package.json, so it is the same folder whether the code runs
 * from src/ (tsx, vitest) or from a build in dist/src/ (`npm run build`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function packageRoot(): URL {
  for (let dir = new URL('./', import.meta.url); ; ) {
    if (existsSync(new URL('package.json', dir))) return dir;
    const up = new URL('../', dir);
    if (up.href === dir.href) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** `<package root>/`, with a trailing slash. */
export const PACKAGE_ROOT = fileURLToPath(packageRoot());

/** `<package root>/data/`, with a trailing slash: the recorded bars and universe lists the package ships. */
export const DATA_DIR = `${PACKAGE_ROOT}data/`;

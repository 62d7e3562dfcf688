/**
 * @module The one atomic file writer (state files, diaries): write a temp file beside the target, fsync it,
 * rename it over the target, then fsync the directory. rename(2) is atomic on POSIX, so a reader (or a
 * restart after kill -9 or a power cut) sees either the previous complete file or the new one, never half.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Temp files are named `<file>.<uuid>.tmp`: a crash mid-write leaves one behind, which loading ignores. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}.${randomUUID()}.tmp`);
}

/**
 * Replace `path` with `text` atomically and durably (synchronous, so no other store call interleaves).
 * `mode` defaults to owner-only (0o600): state files hold the paper book.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, opts: { mode?: number } = {}): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const temp = tempPathFor(path);
  try {
    const fd = openSync(temp, 'w', opts.mode ?? 0o600);
    try {
      // Two calls: writeSync's overloads take a string or bytes, not the union.
      if (typeof text === 'string') writeSync(fd, text);
      else writeSync(fd, text);
      fsyncSync(fd); // the bytes are on disk before the name points at them
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  // The rename itself lives in the directory: sync it too, or a power cut could undo it.
  try {
    const dirFd = openSync(dir, 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Some platforms (Windows) cannot open a directory; the file itself is already durable.
  }
}

/** The file's text, or null when it does not exist. Other read errors are thrown with the path. */
export function readFileIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

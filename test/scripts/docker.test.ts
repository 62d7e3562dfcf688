/**
 * The Docker files, checked without a Docker engine: the runtime stage copies what `npm run check:prod`
 * runs from a clean copy (so that check speaks for the image), the image runs as `node` with production
 * dependencies and the compiled entry, state and diaries are volumes, the HEALTHCHECK command really tells a
 * healthy /healthz from a failing one, and compose gives Redis persistence and the bot its settings.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { RUNTIME_FILES } from '../../scripts/check-prod.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const dockerfile = read('Dockerfile')
  .replace(/\\\n\s*/g, '')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
const stages = (() => {
  const out: Record<string, string[]> = {};
  let current = '';
  for (const line of dockerfile) {
    const from = /^FROM\s+\S+\s+AS\s+(\w+)/i.exec(line);
    if (from) current = from[1]!;
    else if (current) (out[current] ??= []).push(line);
  }
  return out;
})();

describe('Dockerfile', () => {
  it('should build with dev dependencies, then run on node:24-slim with production ones only', () => {
    expect(dockerfile).toContain('ARG NODE_IMAGE=node:24-slim');
    expect(stages.build).toEqual(expect.arrayContaining(['RUN npm ci --no-audit --no-fund', 'COPY bin ./bin', 'RUN npm run build']));
    expect(stages.runtime).toContain('RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force');
    expect(stages.runtime).toContain('USER node');
    expect(stages.runtime!.at(-1)).toBe('CMD ["node", "dist/src/app/main.js"]');
  });

  it('should copy into the runtime stage exactly what check:prod runs from', () => {
    const copied = stages.runtime!.flatMap((line) => {
      const m = /^COPY\s+(?:--from=build\s+\/app\/)?(.+)\s+\.\/\S*$/.exec(line);
      return m ? m[1]!.split(/\s+/) : [];
    });
    expect([...copied].sort()).toEqual([...RUNTIME_FILES].sort());
    for (const path of RUNTIME_FILES.filter((p) => p !== 'dist')) expect(existsSync(new URL(path, root))).toBe(true);
  });

  it('should keep state and diaries on volumes owned by node', () => {
    expect(stages.runtime).toContain('RUN mkdir -p data/state diary && chown node:node data/state diary');
    expect(stages.runtime).toContain('VOLUME ["/app/data/state", "/app/diary"]');
  });

  it('should keep secrets and local state out of the build context, and nothing the build needs', () => {
    const ignored = read('.dockerignore').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'data/state', 'diary', '.node24', 'dist']));
    const fromContext = RUNTIME_FILES.filter((p) => p !== 'dist'); // dist comes from the build stage
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src', 'commands', ...fromContext]) {
      expect(ignored).not.toContain(needed);
    }
    expect(ignored).toContain('!.env.example');
  });

  it.each([
    [200, 0],
    [503, 1],
  ])('should run a HEALTHCHECK that GIVEN /healthz answering %i THEN exits %i, with node and no curl', async (status, exitCode) => {
    const line = stages.runtime!.find((l) => l.startsWith('HEALTHCHECK'))!;
    expect(line).toMatch(/^HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD \[/);
    const [cmd, ...args] = JSON.parse(line.slice(line.indexOf('CMD ') + 4)) as string[];
    expect(cmd).toBe('node');
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end(status === 200 ? 'ok' : 'store unreachable');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const run = promisify(execFile)(process.execPath, args, { env: { PATH: process.env.PATH ?? '', HTTP_PORT: String(port) } });
      if (exitCode === 0) await run;
      else await expect(run).rejects.toMatchObject({ code: exitCode });
      expect(paths).toEqual(['/healthz']);
    } finally {
      server.close();
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');
  /** One service's block: from "  name:" to the next service or top-level key. */
  const service = (name: string) => {
    const rest = compose.slice(compose.indexOf(`\n  ${name}:\n`) + 1);
    const end = rest.slice(1).search(/\n( {2}[\w-]+:\n|\w)/);
    return end === -1 ? rest : rest.slice(0, end + 1);
  };

  it('should run Redis with the append-only file on a volume', () => {
    const redis = service('redis');
    expect(redis).not.toContain('bot:');
    expect(redis).toContain('command: ["redis-server", "--appendonly", "yes", "--appendfsync", "everysec"]');
    expect(redis).toContain('- redis-data:/data');
    expect(redis).toContain('restart: unless-stopped');
  });

  it('should run the bot with .env, REDIS_URL pointing at the redis service, volumes and a restart policy', () => {
    const bot = service('bot');
    expect(bot).toContain('env_file: .env');
    expect(bot).toContain('REDIS_URL: redis://redis:6379');
    expect(bot).toContain('restart: unless-stopped');
    expect(bot).toContain('- state:/app/data/state');
    expect(bot).toContain('- diary:/app/diary');
    expect(bot).toContain('condition: service_healthy');
    expect(compose).toMatch(/\nvolumes:\n {2}redis-data:\n {2}state:\n {2}diary:\n$/);
  });
});

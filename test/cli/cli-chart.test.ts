import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHundredx } from '../../src/app/cli-app.ts';
import { decodePng } from '../support/png.ts';

async function run(args: string[]) {
  let out = '';
  let err = '';
  const env = { MARKET_DATA: 'replay', REPLAY_DATE: '2020-03-12', STATE_FILE: join(mkdtempSync(join(tmpdir(), 'hx-cli-')), 'state.json') };
  const code = await runHundredx(args, { out: (s) => (out += s), err: (s) => (err += s), env });
  return { code, out, err };
}

describe('hundredx CLI: charts and buttons', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hx-cli-chart-'));

  it('should write the /scan chart of one ticker with --chart, besides the text', async () => {
    const file = join(dir, 'spy.png');
    const { code, out, err } = await run(['scan', 'SPY', '--chart', file]);
    expect(code).toBe(0);
    expect(out).toContain('SPY breakdown: would buy');
    expect(out).not.toContain('📊 Chart');
    expect(err).toMatch(new RegExp(`^Chart written to ${file} \\(1200x675 PNG, \\d+ KiB\\)\\.\\n$`));
    const png = decodePng(readFileSync(file));
    expect([png.width, png.height]).toEqual([1200, 675]);
    expect(png.inkShare).toBeGreaterThan(0.03);
  });

  it('should say a chart is there and how to write it, and keep --json free of it', async () => {
    const text = await run(['scan', 'SPY']);
    expect(text.out).toMatch(/\n📊 Chart: SPY: the last 60 closes with the ±2σ band, the \$235 put strike marked \(modeled prices\) \(write it with --chart <file\.png>\)\n$/);
    const json = await run(['equity', '--json']);
    expect(json.code).toBe(0);
    expect(Object.keys(JSON.parse(json.out))).toEqual(['equity', 'summary']);
    expect(json.out).not.toContain('<svg');
  });

  it('should write the equity chart', async () => {
    const file = join(dir, 'equity.png');
    const { code } = await run(['equity', '--chart', file]);
    expect(code).toBe(0);
    expect(decodePng(readFileSync(file)).width).toBe(1200);
  });

  it('should exit 1 when the reply has no chart, and 2 for a file that is not a .png', async () => {
    const none = await run(['regime', '--chart', join(dir, 'regime.png')]);
    expect(none.code).toBe(1);
    expect(none.out).toContain('Regime: BEARISH');
    expect(none.err).toContain('This reply has no chart; nothing written to');
    expect(existsSync(join(dir, 'regime.png'))).toBe(false);
    const bad = await run(['scan', 'SPY', '--chart', join(dir, 'spy.jpg')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--chart: give a file name ending in .png');
  });

  it('should show buttons as the commands they run, and leave them out of --json', async () => {
    const text = await run(['positions']);
    expect(text.out).toMatch(/\n\nButtons: \[Refresh\] \/positions\n$/);
    expect((await run(['positions', '--json'])).out).not.toContain('Refresh');
  });
});

/**
 * `hundredx demo | scan [TICKER...] | regime | risk` with `--json`. Same code paths as the bot.
 * Bad arguments: a clear message on stderr and exit code 2. Configuration errors: exit code 2.
 */
import 'dotenv/config';
import { parseArgs } from 'node:util';
import { createRuntime, type Runtime } from '../app/runtime.ts';
import { cycleJson, cycleText, regimeText, riskText } from './report.ts';
import { loadConfig, type Config } from '../config/config.ts';
import { DEMO_DATE } from '../config/defaults.ts';
import { ConfigError, redactSecrets, UserInputError } from '../core/errors.ts';

import { parseTicker } from '../core/tickers.ts';
import { BotServices } from '../app/services.ts';
import { statusReply } from '../../commands/status.ts';
import { toPlainText } from '../notify/render/plain.ts';
import { createScheduler } from '../schedule/jobs.ts';
import { MemoryStore } from '../store/memory.ts';

const USAGE = `Usage: hundredx <command> [options]

Commands:
  demo                   one full cycle on the bundled recorded data (${DEMO_DATE}), no setup needed
  scan [TICKER...]       scan tickers (default: the whole universe) for volatility breakouts
  regime                 the market regime from VIX and SPY
  risk                   the risk budget per trade under the current regime
  status                 last and next run of each scheduled job, last cycle, data source, store

Options:
  --json                 print one JSON object instead of text
  -h, --help             this help

Settings come from environment variables (see .env.example), e.g. MARKET_DATA=replay REPLAY_DATE=2020-03-12.`;

export type CliIo = { out: (s: string) => void; err: (s: string) => void; env: NodeJS.ProcessEnv };

/**
 * A runtime for one command. The demo is a sandbox (nothing stored); other commands read the bot's state
 * (Redis, or the state file read-only, since a running bot owns that file).
 */
async function withRuntime<T>(config: Config, fn: (rt: Runtime) => Promise<T>, opts: { sandbox?: boolean } = {}): Promise<T> {
  const rt = await createRuntime(config, opts.sandbox ? { store: new MemoryStore() } : { readOnlyState: true });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** Run the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const [command, ...rest] = parsed.positionals;
  const json = parsed.values.json === true;
  if (parsed.values.help || command === undefined || command === 'help') {
    io.out(`${USAGE}\n`);
    return command === undefined && !parsed.values.help ? 2 : 0;
  }
  try {
    const env = command === 'demo' ? { ...io.env, MARKET_DATA: 'replay', REPLAY_DATE: io.env.REPLAY_DATE ?? DEMO_DATE } : io.env;
    const config = loadConfig(env);
    switch (command) {
      case 'demo':
      case 'scan': {
        if (command === 'demo' && rest.length > 0) throw new UserInputError('args', 'demo takes no tickers; try: hundredx scan NFLX');
        const tickers = rest.map(parseTicker);
        // Sized like the bot would: the paper account's equity, open risk and held positions; nothing written.
        const report = await withRuntime(
          tickers.length > 0 ? { ...config, universe: tickers } : config,
          async (rt) => rt.runCycle([], await new BotServices(rt).account(), { readOnly: true }),
          { sandbox: command === 'demo' },
        );
        const title = command === 'demo' ? `hundredx demo: one cycle on recorded data as of ${config.replayDate}` : undefined;
        io.out(json ? `${JSON.stringify(cycleJson(report), null, 2)}\n` : `${cycleText(report, { title })}\n`);
        return 0;
      }
      case 'regime':
      case 'risk': {
        if (rest.length > 0) throw new UserInputError('args', `${command} takes no arguments (got "${rest[0]!.slice(0, 20)}")`);
        const services = (rt: Runtime) => new BotServices(rt);
        if (command === 'regime') {
          const regime = await withRuntime(config, (rt) => services(rt).regime());
          io.out(json ? `${JSON.stringify({ regime }, null, 2)}\n` : `${regimeText(regime)}\n`);
          return 0;
        }
        const view = await withRuntime(config, (rt) => services(rt).risk());
        io.out(json ? `${JSON.stringify(view, null, 2)}\n` : `${riskText(view, config)}\n`);
        return 0;
      }
      case 'status': {
        if (rest.length > 0) throw new UserInputError('args', `status takes no arguments (got "${rest[0]!.slice(0, 20)}")`);
        const text = await withRuntime(config, async (rt) => {
          const services = new BotServices(rt);
          // Not started: it only reads the runs every instance records in the store and computes next runs.
          const noop = async () => {};
          const scheduler = createScheduler({ store: rt.store, schedules: config.schedules, jobs: { premarket: noop, intraday: noop, close: noop } });
          const [schedulerStatus, lastCycle] = await Promise.all([scheduler.status(), services.lastCycle()]);
          if (json) return JSON.stringify({ scheduler: schedulerStatus, lastCycle, source: rt.market.name, store: rt.store.kind }, null, 2);
          const reply = statusReply({ scheduler: schedulerStatus, lastCycle, source: rt.market.name, storeKind: rt.store.kind, processUptimeMs: 0 });
          return toPlainText(reply);
        });
        io.out(`${text}\n`);
        return 0;
      }
      default:
        io.err(`Unknown command "${command.slice(0, 30)}".\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    if (err instanceof UserInputError || err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    io.err(`hundredx failed: ${redactSecrets(err instanceof Error ? err.message : String(err), [io.env.POLYGON_API_KEY])}\n`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && /cli\.ts$|hundredx(\.js)?$/.test(process.argv[1]);
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  });
  process.exitCode = code;
}

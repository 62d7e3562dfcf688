/**
 * @module `hundredx <command> [args] [--json] [--chart file.png]`: every chat command, run through the same
 * dispatcher and rendered by the plain renderer (`--json`: the data the reply was made from; `--chart`: the
 * reply's chart written as a PNG, which a terminal cannot show), plus `demo`, which is `scan`
 * on the bundled recorded day in a sandbox. Adding a command to commands/index.ts adds it here too.
 * Bad arguments and refusals: the message on stderr and exit code 2; failures: exit code 1.
 */
import { parseArgs } from 'node:util';
import { Dispatcher } from '../../commands/dispatch.ts';
import type { CommandServices } from '../../commands/context.ts';
import { describeArgs, usage, type AnyCommand } from '../../commands/spec.ts';
import { parseConfig, type Config } from '../config/config.ts';
import { DEMO_DATE } from '../config/defaults.ts';
import { ConfigError, redactSecrets } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import type { Message } from '../notify/message.ts';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { createChartImages } from '../notify/chart-image.ts';
import { actionsNote, chartNote, toPlainText } from '../notify/render/plain.ts';

export type CliIo = {
  out: (s: string) => void;
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** stderr is a terminal: long commands show their progress there. */
  isTTY?: boolean;
};

/** What the commands run against. `canWrite`: changes reach the running bot (a shared store, or a sandbox). */
export type CliSession = { services: CommandServices; canWrite: boolean; close(): Promise<void> };

export type CliApp = {
  commands: readonly AnyCommand[];
  /** Open the bot's state for one command; `sandbox` (the demo) stores nothing anywhere. */
  open(config: Config, opts: { sandbox: boolean }): Promise<CliSession>;
};

/** Least time between two progress lines on a terminal. */
const PROGRESS_EVERY_MS = 100;

/** The CLI is the operator at the server: an admin. */
const CLI_CALLER = { platform: 'cli' as const, chat: 'cli:local', user: 'cli:local' };

function usageText(commands: readonly AnyCommand[]): string {
  const rows = [
    ['demo', `one full cycle on the bundled recorded data (${DEMO_DATE}), no setup needed`],
    ...commands.map((c) => [usage(c).slice(1), `${c.description}${c.admin ? ' (admin)' : ''}`]),
  ];
  const width = Math.max(...rows.map(([name]) => name!.length)) + 2;
  return [
    'Usage: hundredx <command> [args] [--json] [--chart <file.png>]',
    '',
    'Commands:',
    ...rows.map(([name, what]) => `  ${name!.padEnd(width)}${what}`),
    '',
    'Options:',
    '  --json'.padEnd(width + 2) + 'print the data as one JSON object instead of text',
    '  --chart <file.png>'.padEnd(width + 2) + "write the reply's chart (scan <one ticker>, equity) as a PNG",
    '  -h, --help'.padEnd(width + 2) + 'this help',
    '',
    'Settings come from environment variables (see .env.example), e.g. MARKET_DATA=replay REPLAY_DATE=2020-03-12.',
  ].join('\n');
}

const stderrLogger = (io: CliIo, env: NodeJS.ProcessEnv): Logger => {
  const line = (level: string) => (msg: string) => io.err(`${level} ${redactSecrets(msg, [env.POLYGON_API_KEY])}\n`);
  return { info: () => undefined, warn: line('warning:'), error: line('error:') };
};

/** Run the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo, app: CliApp): Promise<number> {
  let parsed;
  // Every command argument is also a flag (--from 2016-03-01), like Discord's named options.
  const argFlags = Object.fromEntries(app.commands.flatMap((c) => describeArgs(c).map((a) => [a.name, { type: 'string' as const }])));
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { ...argFlags, json: { type: 'boolean' }, chart: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${usageText(app.commands)}\n`);
    return 2;
  }
  const [name, ...words] = parsed.positionals;
  const { json, help, chart, ...flags } = parsed.values as Record<string, string | boolean | undefined>;
  if (typeof chart === 'string' && !chart.toLowerCase().endsWith('.png')) {
    io.err(`--chart: give a file name ending in .png, e.g. --chart nflx.png (got "${chart.slice(0, 60)}")\n`);
    return 2;
  }
  const named = Object.fromEntries(Object.entries(flags).filter((e): e is [string, string] => typeof e[1] === 'string'));
  if (help || name === undefined || (name === 'help' && words.length === 0)) {
    io.out(`${usageText(app.commands)}\n`);
    return name === undefined && !help ? 2 : 0;
  }
  if (Object.keys(named).length > 0 && words.length > 0) {
    io.err(`Give ${name}'s arguments either as words or as --flags, not both.\n`);
    return 2;
  }
  const demo = name === 'demo';
  const command = demo ? 'scan' : name;
  if (!app.commands.some((c) => c.name === command)) {
    io.err(`Unknown command "${name.slice(0, 30)}".\n\n${usageText(app.commands)}\n`);
    return 2;
  }
  if (demo && words.length > 0) {
    io.err('demo takes no tickers; try: hundredx scan SPY GOOG\n');
    return 2;
  }
  let session: CliSession | undefined;
  try {
    const env = demo ? { ...io.env, MARKET_DATA: 'replay', REPLAY_DATE: io.env.REPLAY_DATE ?? DEMO_DATE } : io.env;
    const { config, warnings } = parseConfig(env);
    for (const warning of warnings) io.err(`warning: ${warning}\n`);
    session = await app.open(config, { sandbox: demo });
    const spec = app.commands.find((c) => c.name === command)!;
    if (spec.admin && !session.canWrite) {
      io.err(
        `hundredx ${command} changes the bot's state, which this CLI cannot reach (an in-process store): use /${command} in chat, or run the CLI with the bot's STATE_DB or REDIS_URL.\n`,
      );
      return 2;
    }
    const dispatcher = new Dispatcher({
      commands: app.commands,
      services: session.services,
      adminIds: [CLI_CALLER.user],
      logger: stderrLogger(io, io.env),
      secrets: [io.env.POLYGON_API_KEY ?? ''].filter(Boolean),
    });
    const progress = io.isTTY && json !== true ? progressLine(io) : undefined;
    const input = Object.keys(named).length > 0 ? named : words;
    const message = await dispatcher
      .dispatch({ ...CLI_CALLER, command, input, ...(progress ? { progress: progress.show } : {}) })
      .finally(() => progress?.clear());
    const code = print(message, io, { json: json === true, chartFile: typeof chart === 'string', title: demo ? `hundredx demo: one cycle on recorded data as of ${config.replayDate}` : undefined });
    return code === 0 && typeof chart === 'string' ? await writeChart(message, chart, io) : code;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    io.err(`hundredx failed: ${redactSecrets(err instanceof Error ? err.message : String(err), [io.env.POLYGON_API_KEY])}\n`);
    return 1;
  } finally {
    await session?.close();
  }
}

/**
 * One line on the terminal rewritten in place ("scanning: 37/120 tickers, 2 failed"), at most every 100 ms;
 * `clear` erases it before the reply is printed.
 */
function progressLine(io: CliIo): { show: (text: string) => void; clear: () => void } {
  let shownAtMs = Number.NEGATIVE_INFINITY;
  let shown = false;
  return {
    show(text) {
      const nowMs = performance.now();
      if (nowMs - shownAtMs < PROGRESS_EVERY_MS) return;
      shownAtMs = nowMs;
      shown = true;
      io.err(`\r${text}\x1b[K`);
    },
    clear() {
      if (shown) io.err('\r\x1b[K');
    },
  };
}

/** The reply on stdout (refusals and failures on stderr); the exit code it deserves. */
function print(message: Message, io: CliIo, opts: { json: boolean; chartFile: boolean; title?: string | undefined }): number {
  const error = (message.data as { error?: 'refused' | 'failed' } | undefined)?.error;
  if (message.kind === 'error' && error) {
    // Chat wording ("Try /help.") reads fine on a terminal too; the command name has no slash there.
    io.err(`${message.title.replace(/\/(\w+)/g, '$1')}\n`);
    return error === 'failed' ? 1 : 2;
  }
  // The chart's SVG is for pictures, not for the JSON a script reads (a reply without data prints itself).
  const { chart: _chart, actions: _actions, ...printed } = message;
  if (opts.json) io.out(`${JSON.stringify(message.data ?? printed, null, 2)}\n`);
  else {
    // A terminal shows no picture: say there is one, and how to get it (unless it is being written).
    // Buttons, as the commands they would run (`hundredx close all kz3j5` confirms).
    const notes = [opts.chartFile ? null : chartNote(message, 'write it with --chart <file.png>'), actionsNote(message)].filter(Boolean);
    io.out(`${opts.title ? `${opts.title}\n\n` : ''}${toPlainText(message, { indent: true })}\n${notes.map((n) => `\n${n}\n`).join('')}`);
  }
  // The reply says what failed (every ticker of a scan, say); the exit code tells a script.
  return message.failed ? 1 : 0;
}

/** `--chart <file.png>`: the reply's chart as a PNG. 1 when there is none or it could not be drawn or written. */
async function writeChart(message: Message, path: string, io: CliIo): Promise<number> {
  if (!message.chart) {
    io.err(`This reply has no chart; nothing written to ${path}. Charts come with scan <one ticker> and equity.\n`);
    return 1;
  }
  const image = await createChartImages({ logger: { warn: (m) => io.err(`warning: ${m}\n`) } }).image(message.chart);
  if (!image) return 1;
  try {
    writeFileAtomic(path, image.png, { mode: 0o644 });
  } catch (err) {
    io.err(`Could not write the chart to ${path}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  io.err(`Chart written to ${path} (${image.widthPx}x${image.heightPx} PNG, ${Math.round(image.png.length / 1024)} KiB).\n`);
  return 0;
}

/**
 * The `hundredx` CLI app (entry: cli.ts): the CLI (cli/cli.ts) over the same command list and services the
 * bot uses. A command runs against the bot's state: Redis when REDIS_URL is set, else the SQLite state file
 * as a guest (a running bot owns the file; the CLI's reads and writes are transactions beside it, as a second
 * client of Redis would be). The demo runs in a sandbox and stores nothing.
 */
import { commands } from '../../commands/index.ts';
import { runCli, type CliApp, type CliIo } from '../cli/cli.ts';
import { createScheduler, type Scheduler } from '../schedule/jobs.ts';
import { MemoryStore } from '../store/memory.ts';
import { createRuntime } from './runtime.ts';
import { BotServices } from './services.ts';

export const cliApp: CliApp = {
  commands,
  async open(config, { sandbox }) {
    const logger = { info: (line: string) => void process.stderr.write(`${line}\n`), error: (line: string) => void process.stderr.write(`error: ${line}\n`) };
    const runtime = await createRuntime(config, sandbox ? { store: new MemoryStore() } : { guestState: true, logger });
    // Not started: /status reads the runs every instance records in the store and computes the next runs;
    // whether a bot runs comes from the heartbeats, never from this scheduler. Made when /status asks, so other
    // commands do not pay for parsing the schedules again.
    const noop = async () => undefined;
    let scheduler: Scheduler | undefined;
    const schedulerStatus = () => {
      scheduler ??= createScheduler({
        store: runtime.store,
        schedules: config.schedules,
        instanceId: 'cli',
        jobs: { premarket: noop, intraday: noop, close: noop },
      });
      return scheduler.status();
    };
    const services = new BotServices(runtime, { schedulerStatus });
    return { services, canWrite: sandbox || runtime.store.kind !== 'memory', close: () => runtime.close() };
  },
};

export const runHundredx = (argv: string[], io: CliIo): Promise<number> => runCli(argv, io, cliApp);

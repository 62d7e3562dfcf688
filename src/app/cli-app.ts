/**
 * The `hundredx` CLI app (entry: cli.ts): the CLI (cli/cli.ts) over the same command list and services the
 * bot uses. A command runs against the bot's state: Redis when REDIS_URL is set (shared with a running bot),
 * else the state file read-only, since a running bot owns it. The demo runs in a sandbox and stores nothing.
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
    const runtime = await createRuntime(config, sandbox ? { store: new MemoryStore() } : { readOnlyState: true });
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
    return { services, canWrite: sandbox || runtime.store.kind === 'redis', close: () => runtime.close() };
  },
};

export const runHundredx = (argv: string[], io: CliIo): Promise<number> => runCli(argv, io, cliApp);

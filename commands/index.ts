/**
 * Every chat command, in /help order. Adding a command is one file plus one line here; Discord
 * registration, Telegram's command menu and /help are all derived from this list.
 */
import { backtest } from './backtest.ts';
import { calibrate } from './calibrate.ts';
import { close } from './close.ts';
import { diary } from './diary.ts';
import { equity } from './equity.ts';
import { helpCommand } from './help.ts';
import { pause, resume } from './pause.ts';
import { daily, monthly, performance, pnl, weekly } from './performance.ts';
import { positions } from './positions.ts';
import { regime } from './regime.ts';
import { risk } from './risk.ts';
import { scan } from './scan.ts';
import { status } from './status.ts';
import type { AnyCommand } from './spec.ts';
import { watch } from './watch.ts';

export const commands: readonly AnyCommand[] = [
  scan,
  regime,
  risk,
  diary,
  positions,
  equity,
  pnl,
  performance,
  daily,
  weekly,
  monthly,
  close,
  pause,
  resume,
  watch,
  status,
  backtest,
  calibrate,
  helpCommand(() => commands),
];

export { defineCommand, parseArgs, type AnyCommand, type CommandContext, type CommandSpec } from './spec.ts';

/** `/help [command]`: every command with one line each, or one command's arguments; generated from the list. */
import { z } from 'zod';
import type { Message } from '../src/notify/message.ts';
import { availableOn, describeArgs, exampleOf, usage, type AnyCommand } from './spec.ts';
import { defineCommand } from './spec.ts';

function commandHelp(spec: AnyCommand): Message {
  const args = describeArgs(spec);
  return {
    kind: 'reply',
    title: usage(spec),
    description: `${spec.description}${spec.admin ? ' (admin only)' : ''}. ${exampleOf(spec).replace(/^e\.g\./, 'Example:')}`,
    fields: args.map((a) => ({ name: a.required ? a.name : `${a.name} (optional)`, value: a.description })),
    tone: 'info',
  };
}

/** The help command over `list` (a function, so the list may include help itself). */
export function helpCommand(list: () => readonly AnyCommand[]) {
  return defineCommand({
    name: 'help',
    description: 'Every command with one line each; /help scan for one command',
    args: z.object({ command: z.string().describe('A command name, e.g. scan').optional() }),
    autocomplete: { command: () => list().map((c) => c.name) },
    async run(ctx, { command }) {
      const offered = list().filter((c) => availableOn(c, ctx.platform));
      const wanted = command?.replace(/^\//, '').toLowerCase();
      const one = wanted ? offered.find((c) => c.name === wanted) : undefined;
      if (one) return commandHelp(one);
      const lines = offered.map((c) => `${usage(c)}: ${c.description}${c.admin ? ' (admin only)' : ''}`);
      return {
        kind: 'reply',
        title: wanted ? `No command /${wanted.slice(0, 32)}. Commands:` : 'Commands',
        description: lines.join('\n'),
        fields: [],
        tone: 'info',
        footer: 'Paper trading only, not financial advice.',
      };
    },
  });
}

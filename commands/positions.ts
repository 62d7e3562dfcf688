/** `/positions`: open paper positions. The paper ledger does not exist yet, so the reply says so plainly. */
import { z } from 'zod';
import { defineCommand } from './spec.ts';

export const positions = defineCommand({
  name: 'positions',
  description: 'Open paper positions',
  args: z.object({}),
  async run() {
    return {
      kind: 'reply',
      title: 'No open paper positions: the paper ledger is not tracking trades yet.',
      fields: [],
      tone: 'info',
    };
  },
});

/**
 * `hundredx backtest --from 2016-03-01 --to 2021-03-31 [--universe SPY,QQQ] [--out reports/] [--json]`: the
 * strategy run day by day on the bundled recorded data, with the evidence a trader needs before trusting it.
 * Terminal only: it takes seconds, and writes files.
 */
import { z } from 'zod';
import { reportMarkdown } from '../src/backtest/report-text.ts';
import { UserInputError } from '../src/core/errors.ts';
import { dateArg, tickerListArg } from './args.ts';
import { defineCommand } from './spec.ts';

const day = (what: string) => dateArg(`${what} decision day, YYYY-MM-DD`, 'hundredx backtest --from 2016-03-01 --to 2021-03-31');

export const backtest = defineCommand({
  name: 'backtest',
  description: 'Backtest the strategy on the recorded data, with a random-entry control, sensitivity and a held-out part',
  args: z.object({
    from: day('First'),
    to: day('Last'),
    universe: tickerListArg('Tickers to trade, e.g. SPY,QQQ,AAPL (default: every recorded symbol covering the period)').optional(),
    out: z.string().min(1).max(200).describe('A folder to write report.md, report.json and kelly.json to').optional(),
  }),
  example: '--from 2016-03-01 --to 2021-03-31',
  faces: ['cli'],
  slow: true,
  async run(ctx, { from, to, universe, out }) {
    if (from >= to) throw new UserInputError('to', `to: must be after from (got ${from} to ${to})`);
    const { report, files } = await ctx.services.backtest({ from, to, ...(universe ? { universe } : {}), ...(out ? { outDir: out } : {}) }, ctx.progress);
    return {
      kind: 'reply',
      title: `Backtest ${report.from} to ${report.to}: ${report.universe.length} tickers`,
      description: reportMarkdown(report),
      fields: [],
      tone: (report.strategy.totalReturn ?? 0) > 0 ? 'bullish' : 'bearish',
      footer: files.length > 0 ? `Written: ${files.join(', ')}` : 'Paper trading only: option prices modeled.',
      data: report,
    };
  },
});

/**
 * `hundredx calibrate [--json]`: how far the modeled option prices replay and the backtest trade at are from
 * real end-of-day quotes (data/options), per chain-day, for the previous model and the calibrated one.
 * Terminal only.
 */
import { z } from 'zod';
import { renderCalibrationTable } from '../src/backtest/calibration-table.ts';
import { defineCommand } from './spec.ts';

export const calibrate = defineCommand({
  name: 'calibrate',
  description: 'Compare the modeled option prices with real end-of-day quotes, per chain-day',
  args: z.object({}),
  faces: ['cli'],
  async run(ctx) {
    const report = await ctx.services.calibration();
    return {
      kind: 'reply',
      title: 'Option model calibration: modeled vs real end-of-day quotes',
      // The table's own first line is this title.
      description: renderCalibrationTable(report).split('\n').slice(1).join('\n'),
      fields: [],
      tone: 'info',
      footer: 'Real quotes: GOOG 2015-12-23/24, NWSA 2013-06-27/28, FOXA 2013-07-02 (LEAN, AlgoSeek data; see data/options/SOURCE.md).',
      data: report,
    };
  },
});

import { describe, expect, it } from 'vitest';
import { alertId, alertsForCycle, regimeAlert, scanDigest, tradeAlert } from '../../src/notify/messages.ts';
import * as s from './samples.ts';

describe('notify/messages tradeAlert tweets', () => {
  it('should read like the seed for an accepted SHORT, disclaimer included', () => {
    expect(tradeAlert(s.nflxShortAccepted()).tweet).toBe(
      '📉 Trade Alert: $NFLX breakdown. System flagged high-vol downside. Buying 90x Nov 27 $500 puts at $0.11. ' +
        'Risk capped at 10% ($1k). Paper trade, not financial advice. #Options #Trading',
    );
  });

  it('should read like the seed for a plan rejected over the cap', () => {
    expect(tradeAlert(s.mstrShortRejected()).tweet).toBe(
      '⛔ Skipped $MSTR put: 1 contract costs $1,240 > $1,000 risk cap. Discipline > Action. ' +
        'Paper trade, not financial advice. #RiskManagement',
    );
  });

  it('should say "modeled" in the tweet, the price field and the footer', () => {
    const msg = tradeAlert(s.nflxShortAccepted(), { modeled: true });
    expect(msg.tweet).toContain('at $0.11 (modeled).');
    expect(msg.fields.find((f) => f.name === 'Price')?.value).toBe('$0.11 ask (modeled)');
    expect(msg.footer).toBe('Modeled option price, not a quote. Paper trade, not financial advice.');
    const rejected = s.mstrShortRejected();
    rejected.contract = { ...rejected.contract!, modeled: true };
    expect(tradeAlert(rejected).tweet).toContain('risk cap. Price modeled.');
  });

  it('should end every trade alert with the disclaimer', () => {
    for (const plan of [s.nflxShortAccepted(), s.tslaLongAccepted(), s.mstrShortRejected(), s.aaplLongRejectedByRegime()]) {
      const msg = tradeAlert(plan);
      expect(msg.footer).toMatch(/Paper trade, not financial advice\.$/);
      expect(msg.tweet).toContain('Paper trade, not financial advice.');
    }
  });
});

describe('notify/messages tweet length boundary', () => {
  const head = '⛔ Skipped $MSTR put: ';
  const tail = ' Discipline > Action. Paper trade, not financial advice. #RiskManagement';
  /** A REJECTED plan whose naive tweet is exactly `length` characters. */
  const withTweetLength = (length: number) => {
    const plan = s.mstrShortRejected();
    const filler = length - head.length - tail.length - 1; // -1 for the reason's full stop
    plan.reason = `${'w'.repeat(9)} `.repeat(Math.ceil(filler / 10)).slice(0, filler).replace(/ $/, 'x');
    return plan;
  };

  it('should keep a 280-character tweet whole', () => {
    const tweet = tradeAlert(withTweetLength(280)).tweet!;
    expect(tweet.length).toBe(280);
    expect(tweet).toContain('Discipline > Action.');
  });

  it('should drop the least important sentence from a 281-character tweet, keeping the cashtag and disclaimer', () => {
    const tweet = tradeAlert(withTweetLength(281)).tweet!;
    expect(tweet.length).toBeLessThanOrEqual(280);
    expect(tweet).not.toContain('Discipline > Action.');
    expect(tweet).toContain('$MSTR');
    expect(tweet).toContain('#RiskManagement');
    expect(tweet).toContain('Paper trade, not financial advice.');
  });

  it('should cut an endless reason at a word and never leave half a cashtag', () => {
    const plan = s.mstrShortRejected();
    plan.reason = Array.from({ length: 60 }, (_, i) => `$TICK${i} ok`).join(' ');
    const tweet = tradeAlert(plan).tweet!;
    expect(tweet.length).toBeLessThanOrEqual(280);
    expect(tweet.startsWith('⛔ Skipped $MSTR put: $TICK0 ok')).toBe(true);
    expect(tweet).toMatch(/ok… Paper trade, not financial advice\.$/);
    for (const tag of tweet.match(/\$[A-Z]\w*/g) ?? []) expect(['$MSTR', ...plan.reason.split(' ')]).toContain(tag);
  });
});

describe('notify/messages alertsForCycle', () => {
  const twoSignals = () => s.report([s.quiet('MSFT'), s.result(s.mstrShortRejected()), s.result(s.nflxShortAccepted())]);

  it('should announce the regime at start-up, then one trade alert per plan by |z|', () => {
    const msgs = alertsForCycle(twoSignals(), { digestThreshold: 3 });
    expect(msgs.map((m) => `${m.kind} ${m.title}`)).toEqual([
      'regime 🐻 Regime: BEARISH',
      'trade 📉 NFLX breakdown: buying 90x Nov 27 $500 puts',
      'trade ⛔ MSTR breakdown: put skipped',
    ]);
  });

  it('should not repeat an unchanged regime and should name the previous one on a change', () => {
    expect(alertsForCycle(twoSignals(), { digestThreshold: 3, previousRegime: 'BEARISH' }).map((m) => m.kind)).toEqual([
      'trade',
      'trade',
    ]);
    const changed = alertsForCycle(twoSignals(), { digestThreshold: 3, previousRegime: 'NEUTRAL' });
    expect(changed[0]?.title).toBe('🐻 Regime: BEARISH (was NEUTRAL)');
    expect(alertsForCycle(twoSignals(), { digestThreshold: 3, previousRegime: null })[0]?.kind).toBe('regime');
  });

  it('should send every paper trade on its own and one digest instead of the skips when more signals fire', () => {
    const report = s.busyReport(); // four signals, two of them ACCEPTED
    expect(alertsForCycle(report, { digestThreshold: 4, previousRegime: 'BEARISH' }).map((m) => m.kind)).toEqual([
      'trade', 'trade', 'trade', 'trade',
    ]);
    const msgs = alertsForCycle(report, { digestThreshold: 3, previousRegime: 'BEARISH', digestMaxSignals: 2 });
    expect(msgs.map((m) => m.kind)).toEqual(['trade', 'trade', 'digest']);
    expect(msgs.filter((m) => m.kind === 'trade').every((m) => /Trade Alert/.test(m.tweet ?? ''))).toBe(true);
    expect(msgs[2]?.description).toBe(
      '1. NFLX SHORT z -3.10 · ACCEPTED 90x Nov 27 $500 put at $0.11 = $990\n' +
        '2. MSTR SHORT z -2.70 · REJECTED: 1 contract costs $1,240 > $1,000 risk cap\n' +
        '…and 2 more',
    );
  });
});

describe('notify/messages alert ids', () => {
  it('should pin ids, since a changed id would re-send alerts after a deploy', () => {
    expect(tradeAlert(s.nflxShortAccepted()).id).toBe('trade:NFLX:2026-11-20:bd41e5169197');
    expect(regimeAlert(s.regime('BEARISH')).id).toBe(alertId({ kind: 'regime', asOf: s.AS_OF, detail: 'start->BEARISH' }));
  });

  it('should give the same event the same id and different events different ids', () => {
    const base = tradeAlert(s.nflxShortAccepted()).id;
    expect(tradeAlert(s.nflxShortAccepted()).id).toBe(base);
    const otherDay = s.nflxShortAccepted();
    otherDay.signal = { ...otherDay.signal, asOf: new Date('2026-11-23T00:00:00Z') };
    const rejected = s.nflxShortAccepted({ status: 'REJECTED' });
    expect(new Set([base, tradeAlert(otherDay).id, tradeAlert(rejected).id]).size).toBe(3);
    const flip = regimeAlert(s.regime('BEARISH'), { previous: 'NEUTRAL' }).id;
    expect(flip).not.toBe(regimeAlert(s.regime('BEARISH')).id);
    expect(scanDigest(s.busyReport(), { maxSignals: 5 }).id).toBe(scanDigest(s.busyReport(), { maxSignals: 2 }).id);
  });
});

describe('notify/messages missing data', () => {
  it('should explain a plan rejected before any contract was picked', () => {
    const plan = s.mstrShortRejected();
    delete plan.contract;
    plan.contractCostUsd = 0;
    plan.reason = 'no put with an ask and open interest';
    const msg = tradeAlert(plan);
    expect(msg.title).toBe('⛔ MSTR breakdown: put skipped');
    expect(msg.fields.filter((f) => ['Contract', 'Price', 'Cost'].includes(f.name)).map((f) => f.value)).toEqual([
      'none picked',
      'n/a',
      '$0',
    ]);
    expect(msg.tweet).toBe(
      '⛔ Skipped $MSTR put: no put with an ask and open interest. Discipline > Action. Paper trade, not financial advice. #RiskManagement',
    );
  });

  it('should say n/a for a regime decided without VIX or SPY data', () => {
    const msg = regimeAlert(s.regime('NEUTRAL', { vix: Number.NaN, spySma: Number.NaN, spyTrend: Number.NaN }));
    expect(msg.tweet).toBe('⚖️ Regime: NEUTRAL. $VIX n/a, $SPY vs its average n/a. Longs 0.5x, shorts 0.5x. #Trading #Volatility');
    expect(msg.fields.slice(0, 2).map((f) => f.value)).toEqual(['n/a (VIX data missing)', 'n/a (SPY data missing)']);
  });
});

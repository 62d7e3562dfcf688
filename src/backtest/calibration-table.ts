/**
 * @module The calibration report (calibration.ts) as a plain-text table: per chain-day and scope, each
 * model's median error and spread against the real spread distribution; then per expiry, the market's
 * at-the-money vol next to each model's, so a miss can be traced to the level, the term or an event.
 */
import type { CalibrationReport, DayReport, ExpirySummary, Scope } from './calibration.ts';

const pct = (x: number | null, digits = 1) => (x === null ? 'n/a' : `${x.toFixed(digits)}%`);
const vol = (x: number) => x.toFixed(3);
const pad = (s: string, width: number) => s.padEnd(width);
const lpad = (s: string, width: number) => s.padStart(width);

function scopeLines(day: DayReport, label: string, s: Scope, first: boolean, target: number): string[] {
  const real = s.realSpreadPct;
  const realText = `${pct(real.p25)} / ${pct(real.p50)} / ${pct(real.p75)}`;
  return s.models.map((m, i) => {
    const misses = [m.meetsErrorTarget ? '' : `error > ${target}%`, m.spreadInIqr ? '' : 'spread'].filter(Boolean);
    const verdict = misses.length === 0 ? 'met' : `missed: ${misses.join(', ')}`;
    return [
      pad(first && i === 0 ? `${day.symbol} ${day.date}` : '', 16),
      pad(i === 0 ? label : '', 9),
      lpad(i === 0 ? String(s.n) : '', 4),
      '  ',
      pad(m.model, 11),
      lpad(pct(m.medianErrorPct), 8),
      '   ',
      pad(i === 0 ? realText : '', 24),
      lpad(pct(m.modelSpreadPct), 8),
      '  ',
      pad(m.spreadInIqr ? 'yes' : 'no', 4),
      verdict,
    ].join('');
  });
}

function expiryLine(day: DayReport, e: ExpirySummary, models: readonly string[]): string {
  const ivs = models.map((m) => vol(e.modelAtmIv[m]!)).join(' / ');
  const errors = models.map((m) => `${m} ${pct(e.medianErrorPct[m]!)}`).join(', ');
  return [
    pad(`${day.symbol} ${day.date}`, 16),
    pad(e.expiry, 12),
    lpad(e.tradingDays.toFixed(1), 5),
    lpad(String(e.n), 5),
    '  ',
    pad(`${vol(e.marketAtmIv)} | ${ivs}`, 24),
    lpad(vol(e.forwardVol), 7),
    '  ',
    pad(e.eventPriced ? 'event' : '', 7),
    errors,
  ].join('');
}

/** The whole report as text, widths fixed so columns line up in a terminal or a code block. */
export function renderCalibrationTable(report: CalibrationReport): string {
  const sel = report.selection;
  const target = report.target.maxMedianErrorPct;
  const lines = [
    'Option model calibration: modeled vs real end-of-day quotes',
    `Scored: two-sided real quotes, out of the money, |delta| ${sel.minAbsDelta.toFixed(2)}-${sel.maxAbsDelta.toFixed(2)} (at the market's IV), <= ${sel.maxCalendarDaysToExpiry} calendar days.`,
    `Error: median |model mid - real mid| / real mid. Spread: (ask - bid) / mid. Target: error <= ${target}% and model spread in the real p25-p75.`,
    `ex-event: without expiries whose forward vol tops ${report.eventForwardVolRatio}x the front vol (an earnings report priced in; the model has no event input).`,
    ...report.models.map((m) => `Model ${m.name}: ${m.description}.`),
    '',
    'chain-day       scope       n  model      med err   real spread p25/med/p75  model sp  IQR  target',
  ];
  for (const day of report.days) {
    lines.push(...scopeLines(day, 'all', day.all, true, target));
    if (day.exEvent.n !== day.all.n) lines.push(...scopeLines(day, 'ex-event', day.exEvent, false, target));
  }
  const names = report.models.map((m) => m.name);
  lines.push('', 'Inputs per chain-day: spot, VIX close, risk-free rate, closes known, tick class');
  for (const d of report.days) {
    lines.push(`${d.symbol} ${d.date}  spot ${d.spot}  VIX ${d.vixClose}  rate ${(d.rate * 100).toFixed(2)}%  ${d.closesKnown} closes  ${d.tickClass} ticks`);
  }
  lines.push('', `Per expiry: ATM vol market | ${names.join(' / ')}, forward vol, median error`);
  lines.push('chain-day       expiry       days    n  ATM vol                 fwd vol  event  median error');
  for (const day of report.days) for (const e of day.expiries) lines.push(expiryLine(day, e, names));
  return lines.map((l) => l.trimEnd()).join('\n');
}

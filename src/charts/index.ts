/**
 * Charts drawn on the server: pure SVG builders, and a PNG renderer (resvg) with a bundled font.
 *
 * @example
 * const { png } = renderPng(scanChartSvg(input), { widthPx: 1200 });
 * @module
 */
export { scanChartSvg, regimeText, strikeLabel, DEFAULT_SESSIONS } from './scan-chart.ts';
export { equityChartSvg, chooseScale, drawdowns, pathValue, LOG_FROM_RATIO } from './equity-chart.ts';
export { renderPng, FONT_FILES, MAX_WIDTH_PX, type Png, type PngOptions } from './png.ts';
export { esc } from './svg.ts';
export type { ChallengePath, ChartSide, EquityChartInput, EquityTrade, ScanChartInput, ScanPoint } from './types.ts';

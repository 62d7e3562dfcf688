/**
 * @module Unknown variables that look like ours. A typo in a setting's name (RISK_CAPPCT) is not an invalid
 * value: zod never sees it and the default applies in silence. These checks turn such names into warnings
 * (not errors: the environment also holds the shell's and other programs' variables).
 */
import { closestMatch } from 'leven';

/** Our own namespace: any HUNDREDX_* variable is meant for us. */
const OWN_PREFIX = 'HUNDREDX_';

/** Families of our settings: an unknown DISCORD_CHANNEL_ID is most likely meant for us too. */
const FAMILIES = ['POLYGON_', 'YAHOO_', 'DISCORD_', 'TELEGRAM_', 'SCHEDULE_', 'KELLY_', 'REGIME_', 'BREAKOUT_', 'REPLAY_', 'CHALLENGE_'];

/** Edits allowed for a near miss: one for short names, two from 8 characters on (RISK_CAPPCT -> RISK_CAP_PCT is one). */
const maxEdits = (name: string) => (name.length >= 8 ? 2 : 1);

/** The known name `name` is most likely a misspelling of, compared upper-cased (so risk_cap_pct also matches). */
function nearest(name: string, known: readonly string[]): string | undefined {
  const upper = name.toUpperCase();
  const limit = maxEdits(upper);
  // Names whose lengths differ by more than the limit cannot be within it: skip them (most of a shell's variables).
  const candidates = known.filter((k) => Math.abs(k.length - upper.length) <= limit);
  return candidates.length > 0 ? closestMatch(upper, candidates, { maxDistance: limit }) : undefined;
}

/**
 * One warning per variable in `env` that is not in `known` but looks meant for us: a near miss of a known
 * name by edit distance, any HUNDREDX_* name, or an unknown name in one of our families (DISCORD_*, ...).
 * Names only: values are never read, so a secret under a misspelled name is not echoed.
 */
export function unknownVarWarnings(env: Readonly<Record<string, string | undefined>>, known: readonly string[]): string[] {
  const knownSet = new Set(known);
  const warnings: string[] = [];
  for (const name of Object.keys(env).sort()) {
    if (knownSet.has(name)) continue;
    const unprefixed = name.startsWith(OWN_PREFIX) ? name.slice(OWN_PREFIX.length) : undefined;
    const guess = unprefixed !== undefined && knownSet.has(unprefixed) ? unprefixed : nearest(unprefixed ?? name, known);
    if (guess) {
      warnings.push(`${name}: not a hundredx setting, ignored; did you mean ${guess}?`);
      continue;
    }
    const family = FAMILIES.find((prefix) => name.startsWith(prefix));
    if (unprefixed !== undefined || family) {
      const siblings = family ? known.filter((k) => k.startsWith(family)) : [];
      const hint = siblings.length > 0 ? ` (the ${family}* settings are ${siblings.join(', ')})` : '';
      warnings.push(`${name}: not a hundredx setting, ignored${hint}; every setting is listed in .env.example`);
    }
  }
  return warnings;
}

/**
 * @module GET /healthz: every check runs at once, each within a timeout; 200 `{ status: 'ok', checks }` when
 * all pass, else 503 with `failing` naming the parts that did not. A check's detail is short and scrubbed
 * (it may quote a library's error), so the answer can be shown to whoever probes it.
 */
import { Hono } from 'hono';
import { redactSecrets } from '../../core/errors.ts';
import { realTimer, type Timer } from '../../core/lock.ts';

export type CheckResult = { ok: boolean; detail: string };
export type HealthCheck = () => Promise<CheckResult>;

export type HealthOptions = {
  /** How long one check may take before it counts as failing. Default 2000 ms: Redis' own command timeout. */
  timeoutMs?: number;
  /** Default setTimeout; tests pass fake time. */
  timer?: Timer;
  /** Scrubbed from every detail, besides the patterns redactSecrets knows. */
  secrets?: readonly string[];
};

export type HealthReport = {
  status: 'ok' | 'failing';
  /** Present when failing: the checks that did not pass, e.g. ["store"]. */
  failing?: string[];
  checks: Record<string, CheckResult>;
};

export const ok = (detail: string): CheckResult => ({ ok: true, detail });
export const failing = (detail: string): CheckResult => ({ ok: false, detail });

const DETAIL_MAX_CHARS = 160;

/** Run every check in parallel, each bounded by the timeout; a throw or a timeout is a failure with its reason. */
export async function runHealthChecks(checks: Record<string, HealthCheck>, opts: HealthOptions = {}): Promise<HealthReport> {
  const { timeoutMs = 2000, timer = realTimer, secrets = [] } = opts;
  // Scrub before cutting, so a secret straddling the cut cannot leave a readable prefix.
  const clean = (err: unknown) => redactSecrets(err instanceof Error ? err.message : String(err), secrets).slice(0, DETAIL_MAX_CHARS);
  const bounded = (check: HealthCheck): Promise<CheckResult> =>
    new Promise<CheckResult>((resolve) => {
      // The timer first: a check that never settles still ends when it fires.
      const cancel = timer(async () => resolve(failing(`no answer within ${timeoutMs} ms`)), timeoutMs);
      check().then(
        (result) => resolve({ ok: result.ok, detail: redactSecrets(result.detail, secrets).slice(0, DETAIL_MAX_CHARS) }),
        (err: unknown) => resolve(failing(clean(err))),
      ).finally(cancel);
    });
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((name) => bounded(checks[name]!)));
  const byName = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
  const failed = names.filter((name) => !byName[name]!.ok);
  return failed.length === 0 ? { status: 'ok', checks: byName } : { status: 'failing', failing: failed, checks: byName };
}

/** The /healthz page: mount with `app.route('/', healthRoutes(checks))`. */
export function healthRoutes(checks: Record<string, HealthCheck>, opts: HealthOptions = {}): Hono {
  return new Hono().get('/healthz', async (c) => {
    const report = await runHealthChecks(checks, opts);
    c.header('Cache-Control', 'no-store');
    return c.json(report, report.status === 'ok' ? 200 : 503);
  });
}

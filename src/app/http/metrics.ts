/** @module GET /metrics: the registry in Prometheus' text format. Mount with `app.route('/', metricsRoutes(m))`. */
import { Hono } from 'hono';

export type MetricsSource = { readonly contentType: string; text(): Promise<string> };

export function metricsRoutes(metrics: MetricsSource): Hono {
  return new Hono().get('/metrics', async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.text(), 200, { 'Content-Type': metrics.contentType });
  });
}

/**
 * @module The bot's HTTP server (hono on @hono/node-server), started by `npm start`, never by the CLI. Pages
 * are small Hono apps mounted side by side, so a new one (a dashboard) is one more entry in the list:
 *
 * @example
 * const app = createHttpApp([healthRoutes(checks), metricsRoutes(bot.metrics), dashboardRoutes(services)], logger);
 * const server = await startHttpServer(app, { port: 8080, host: '127.0.0.1' });
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Logger } from '../../core/log.ts';

export type HttpServer = {
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
};

/** One app with every page mounted at the root; errors become a logged, bare 500 that leaks nothing. */
export function createHttpApp(pages: readonly Hono[], logger: Logger): Hono {
  const app = new Hono();
  for (const page of pages) app.route('/', page);
  app.onError((err, c) => {
    logger.error(`http ${c.req.method} ${c.req.path} failed: ${err.message}`);
    return c.text('Internal Server Error', 500);
  });
  return app;
}

/** Listen on `host:port` (port 0: any free port); rejects, naming HTTP_PORT/HTTP_HOST, when it cannot. */
export function startHttpServer(app: Hono, opts: { port: number; host: string }): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      // The adapter would otherwise swap the global Request/Response for its own, under every other library here.
      { fetch: app.fetch, port: opts.port, hostname: opts.host, overrideGlobalObjects: false },
      (info: AddressInfo) => {
        server.off('error', onError);
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({ url: `http://${host}:${info.port}`, port: info.port, close: () => closeServer(server) });
      },
    ) as Server;
    const onError = (err: NodeJS.ErrnoException) => {
      server.close();
      const why = err.code === 'EADDRINUSE' ? 'the port is in use' : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
      reject(new Error(`HTTP server cannot listen on ${opts.host}:${opts.port}: ${why}; set HTTP_PORT (0 turns the server off) or HTTP_HOST`));
    };
    server.once('error', onError);
  });
}

/** Stop accepting, and drop kept-alive connections so a shutdown never waits on an idle scraper. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

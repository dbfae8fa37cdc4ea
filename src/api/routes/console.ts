// The console (API-2.md "The console"): the built single-page app under /console/, served from
// console/dist (scripts/ensure-console.mjs builds it from console/src). It talks to this API only
// through the public routes, from the same origin, so its policy allows nothing from elsewhere.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ApiError } from '../errors';

/**
 * Where the built console is: console/dist of the repository, seen from this file under `tsx`
 * (src/api/routes/) or from the compiled bundle (dist/main.js, dist/server.js).
 */
export const CONSOLE_DIST = (() => {
  const candidates = ['../../../console/dist/', '../console/dist/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((d) => existsSync(`${d}/index.html`)) ?? candidates[0]!;
})();

/**
 * The console's Content-Security-Policy: scripts, styles, images and API calls from this origin
 * only; no inline scripts. ECharts' SVG renderer and Preact set styles through the CSSOM
 * (element.style), which style-src does not govern, and the chart's tooltip is drawn in the SVG
 * (an HTML tooltip has style attributes), so no 'unsafe-inline' is needed either.
 */
export const CONSOLE_CSP =
  "default-src 'self'; base-uri 'none'; connect-src 'self'; font-src 'self'; form-action 'none'; frame-ancestors 'none'; " +
  "img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'";

/**
 * GET /console/… (the built files; the app routes by the URL's fragment, so /console/ is its only
 * page) and GET /console → 301 /console/. Hidden from the OpenAPI document:
 * it is not part of the HTTP contract. Without a build, 503 console_not_built says how to build it.
 */
export default async function consoleRoutes(app: FastifyInstance, opts: { dist?: string } = {}): Promise<void> {
  const dist = opts.dist ?? CONSOLE_DIST;
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', CONSOLE_CSP);
    return payload;
  });
  app.get('/console', { schema: { hide: true } }, async (_req, reply) => reply.redirect('/console/', 301));
  if (!existsSync(`${dist}/index.html`)) {
    app.get('/console/*', { schema: { hide: true } }, async () => {
      throw new ApiError(503, 'console_not_built', 'the console is not built: run `node scripts/ensure-console.mjs` (npm start and npm test do)');
    });
    return;
  }
  // preCompressed: the .br and .gz files ensure-console wrote beside each file, as the client accepts.
  await app.register(fastifyStatic, { root: dist, prefix: '/console/', index: ['index.html'], schemaHide: true, preCompressed: true });
}

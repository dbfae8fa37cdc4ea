import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Db } from '../../db/client';
import type { Limits, WebhookSettings } from '../../config';

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  adminToken?: string;
  /** Request rate and case-creation quota per principal. */
  limits: Limits;
  /** Where webhooks may go (WEBHOOKS_ALLOW_LOOPBACK); loopback refused when absent. */
  webhooks?: WebhookSettings;
  /** A scrape-only bearer for GET /metrics (METRICS_TOKEN); ADMIN_TOKEN opens it too. */
  metricsToken?: string;
  /** host:port where this process's Temporal core serves its Prometheus metrics (appended to GET /metrics). */
  temporalMetricsAddress?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

/** The app's two stores and its settings, decorated once so routes and services reach them. */
export default fp(
  async function deps(app: FastifyInstance, opts: { deps: AppDeps }) {
    app.decorate('deps', opts.deps);
  },
  { name: 'deps' },
);

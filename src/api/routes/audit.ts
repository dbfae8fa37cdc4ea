import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { verifyAuditChain, writeCheckpoint } from '../../db/repositories/audit';
import { errorResponses } from '../schemas';
import { tagged } from '../tags';

const Verification = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  chains: Type.Integer({ description: 'Chains walked: one per case, the platform chain, the legacy chain' }),
  checkpoints: Type.Integer(),
  brokenAt: Type.Optional(Type.Integer({ description: 'seq of the first entry (in chain order) that does not follow' })),
  brokenChain: Type.Optional(Type.String()),
  brokenCheckpoint: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.Union([Type.Literal('entry'), Type.Literal('checkpoint_head'), Type.Literal('chain_head'), Type.Literal('checkpoint'), Type.Literal('entries_missing')])),
});

const Checkpoint = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  hash: Type.String(),
  headsDigest: Type.String(),
  chains: Type.Integer({ description: 'Chains whose heads it records (those changed since the previous checkpoint)' }),
  entries: Type.Integer({ description: 'Entries in the log when it was taken' }),
});

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit/verify',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Walk every audit chain, the checkpointed heads and the checkpoint chain; report the first break (admin; cm-draft:9)',
        tags: tagged('audit'),
        response: { 200: Verification, ...errorResponses(401, 403) },
      },
    },
    async () => verifyAuditChain(app.deps.db),
  );
  app.post(
    '/audit/checkpoints',
    {
      preHandler: app.requireRole(),
      schema: {
        summary: 'Checkpoint the heads of the chains changed since the last checkpoint now (admin); `written: false` when none changed',
        tags: tagged('audit'),
        response: { 200: Type.Object({ written: Type.Boolean(), checkpoint: Type.Union([Checkpoint, Type.Null()]) }), ...errorResponses(401, 403) },
      },
    },
    async () => {
      const c = await writeCheckpoint(app.deps.db);
      return { written: c !== null, checkpoint: c };
    },
  );
};

export default auditRoutes;

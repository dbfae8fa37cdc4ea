import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { JURISDICTIONS } from '../../domain/jurisdictions';
import { rateLimited } from '../schemas';
import { tagged } from '../tags';

export const JurisdictionSchema = Type.Object({ id: Type.String(), name: Type.String(), parent: Type.Union([Type.String(), Type.Null()]) });

export default async function jurisdictionRoutes(app: FastifyInstance) {
  app.get(
    '/jurisdictions',
    { schema: { summary: 'Jurisdictions and how they nest', tags: tagged('reference'), security: [], response: { 200: Type.Array(JurisdictionSchema), ...rateLimited() } } },
    async () => JURISDICTIONS.map(({ id, name, parent }) => ({ id, name, parent })),
  );
}

import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { JURISDICTIONS } from '../../domain/jurisdictions';

export const JurisdictionSchema = Type.Object({ id: Type.String(), name: Type.String(), parent: Type.Union([Type.String(), Type.Null()]) });

export default async function jurisdictionRoutes(app: FastifyInstance) {
  app.get(
    '/jurisdictions',
    { schema: { summary: 'Jurisdictions and how they nest', security: [], response: { 200: Type.Array(JurisdictionSchema) } } },
    async () => JURISDICTIONS.map(({ id, name, parent }) => ({ id, name, parent })),
  );
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { JURISDICTIONS } from '../../domain/jurisdictions';
import { rateLimited } from '../schemas';
import { tagged } from '../tags';

export const JurisdictionSchema = Type.Object({ id: Type.String(), name: Type.String(), parent: Type.Union([Type.String(), Type.Null()]) });

const jurisdictionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/jurisdictions',
    { schema: { summary: 'Jurisdictions and how they nest', tags: tagged('reference'), security: [], response: { 200: Type.Array(JurisdictionSchema), ...rateLimited() } } },
    async () => JURISDICTIONS.map(({ id, name, parent }) => ({ id, name, parent })),
  );
};

export default jurisdictionRoutes;

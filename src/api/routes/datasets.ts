import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DATA_CLASSES } from '../../domain/catalog';
import { createDataset, getDataset, getDatasetVersions, searchDatasets, verifyDatasetVersions } from '../services/datasets';
import { Cursor, errorResponses, Id, Limit, LiteralUnion } from '../schemas';
import { tagged } from '../tags';
import { rule } from '../validation';

const DataClass = LiteralUnion(DATA_CLASSES);
const DatasetBodySchema = Type.Object(
  {
    id: Type.Optional(Id),
    name: Type.String({ minLength: 1, maxLength: 300 }),
    providerAgencyId: Id,
    shareClass: DataClass,
    openClass: DataClass,
    legalBasis: Type.Optional(Type.String({ maxLength: 2000 })),
    updateCycle: Type.Optional(Type.String({ maxLength: 100 })),
    fields: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 })),
  },
  {
    additionalProperties: false,
    allOf: [
      rule(
        {
          code: 'legal_basis_required',
          field: 'legalBasis',
          message: 'required with a class other than unconditional: the law, regulation or rule that restricts the data',
          citation: 'js-2020:19',
        },
        {
          anyOf: [
            { properties: { shareClass: { const: 'unconditional' }, openClass: { const: 'unconditional' } } },
            { required: ['legalBasis'], properties: { legalBasis: { type: 'string', pattern: '\\S' } } },
          ],
        },
      ),
    ],
  },
);
const DatasetSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  providerAgencyId: Type.String(),
  jurisdiction: Type.String(),
  shareClass: Type.String(),
  openClass: Type.String(),
  legalBasis: Type.Union([Type.String(), Type.Null()]),
  updateCycle: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  content: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  format: Type.Union([Type.String(), Type.Null()]),
  dataItems: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), authoritative: Type.Optional(Type.Boolean()) })),
  version: Type.Integer({ description: 'the latest published version (GET /v1/datasets/:id/versions)' }),
  withdrawn: Type.Boolean({ description: 'withdrawn from open use by a rights claim: no new application, share request or grant (sz-open-2023:38)' }),
  withdrawnCitation: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const VersionSchema = Type.Object({
  version: Type.Integer(),
  publishedAt: Type.String({ description: 'ISO instant' }),
  caseId: Type.Union([Type.String(), Type.Null()], { description: 'the case that published it (null: a direct registration)' }),
  entry: Type.Record(Type.String(), Type.Unknown(), { description: 'the catalog entry as published' }),
  prevHash: Type.String(),
  hash: Type.String({ description: 'sha256 hex of prevHash, "\n", and the canonical JSON of {datasetId, version, publishedAt, caseId, entry}' }),
});
const DatasetWithMarkSchema = Type.Object({
  ...DatasetSchema.properties,
  disputed: Type.Boolean({ description: 'an objection on the data is open (js-2020:45 标注)' }),
  openObjections: Type.Array(
    Type.Object({
      caseId: Type.String(),
      kind: Type.Union([Type.String(), Type.Null()]),
      recordRef: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
      receivedAt: Type.String(),
    }),
  ),
});

const datasetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/datasets',
    {
      preHandler: app.requireRole('provider'),
      schema: {
        summary: 'Register a catalog dataset (admin, or a provider of the providing agency)',
        tags: tagged('catalog'),
        description: 'Any class other than unconditional needs legalBasis (js-2020:19).',
        body: DatasetBodySchema,
        response: { 201: DatasetWithMarkSchema, ...errorResponses(400, 401, 403, 409, 422) },
      },
    },
    async (req, reply) => reply.status(201).send(await createDataset(app.deps.db, req.body, req.principal)),
  );

  app.get(
    '/datasets/:id',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'A catalog dataset, with the open objections that mark it as disputed',
        tags: tagged('catalog'),
        params: Type.Object({ id: Id }),
        response: { 200: DatasetWithMarkSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getDataset(app.deps.db, req.params.id),
  );

  app.get(
    '/datasets/:id/versions',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Every published version of a dataset, oldest first: a hash chain per dataset (上链存证, cm-draft:9)',
        tags: tagged('catalog'),
        params: Type.Object({ id: Id }),
        response: { 200: Type.Object({ datasetId: Type.String(), versions: Type.Array(VersionSchema) }), ...errorResponses(400, 401, 404) },
      },
    },
    async (req) => getDatasetVersions(app.deps.db, req.params.id),
  );

  app.get(
    '/datasets/:id/versions/verify',
    {
      preHandler: app.authenticate,
      schema: {
        summary: "Walks a dataset's hash chain: ok, or the first version whose hash does not follow",
        tags: tagged('catalog'),
        params: Type.Object({ id: Id }),
        response: {
          200: Type.Object({ ok: Type.Boolean(), versions: Type.Integer(), firstBroken: Type.Optional(Type.Integer()) }),
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (req) => verifyDatasetVersions(app.deps.db, req.params.id),
  );

  app.get(
    '/datasets',
    {
      preHandler: app.authenticate,
      schema: {
        summary: 'Catalog datasets, newest first, optionally of one provider agency',
        tags: tagged('catalog'),
        querystring: Type.Object({ providerAgencyId: Type.Optional(Type.String()), limit: Type.Optional(Limit), cursor: Type.Optional(Cursor) }),
        response: {
          200: Type.Object({ items: Type.Array(DatasetSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (req) => {
      return searchDatasets(app.deps.db, { ...req.query, limit: req.query.limit ?? 50 });
    },
  );
};

export default datasetRoutes;

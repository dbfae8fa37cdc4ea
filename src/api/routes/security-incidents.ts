// P9 security incidents (sip-2021:33, 35; js-2020:39; cm-draft:29–30): the create route and the
// competent department's `close`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { INCIDENT_KINDS, MAX_INCIDENT_DATASETS, SECURITY_INCIDENT } from '../../domain/security-incident';
import { createSecurityIncident } from '../services/security-incidents';
import { FilledText, Id, Instant, LiteralUnion } from '../schemas';
import { actionFields, caseActionRoutes, createRoute } from '../process-routes';

const SecurityIncidentBodySchema = Type.Object(
  {
    kind: LiteralUnion(INCIDENT_KINDS, { description: 'leak 泄露, tampering 篡改, loss 丢失 (毁损), or risk 安全风险' }),
    datasetIds: Type.Optional(Type.Array(Id, { maxItems: MAX_INCIDENT_DATASETS, uniqueItems: true, description: 'the catalog datasets concerned, when known' })),
    description: FilledText(4000, 'missing_fields', 'what happened'),
    personalInformation: Type.Boolean({ description: 'personal information is (or may be) concerned: the persons affected are told (sip-2021:35)' }),
    detectedAt: Instant(
      { code: 'invalid_detected_at', message: 'must be an ISO 8601 instant with its offset' },
      'when the incident was found (ISO instant with offset, not in the future): every period counts from here',
    ),
  },
  { additionalProperties: false },
);

const securityIncidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  createRoute(app, {
    process: SECURITY_INCIDENT,
    path: '/security-incidents',
    preHandler: app.requireRole('provider', 'operations'),
    summary: 'Report a security incident: a leak, tampering, loss or risk (P9: sip-2021:33, 35; js-2020:39; cm-draft:30)',
    description:
      'The provider or operations agency the incident happened to. The emergency plan is recorded as started at once ' +
      '(emergency_plan_started); the agency gets a `remediation` task (action complete, field measures), the competent and ' +
      'cyberspace departments of its jurisdiction each a `report` task (acknowledge) and, with personalInformation, the agency a ' +
      '`notification` task (notify: notifiedCount, channel). Each period is counted in hours from detectedAt, rest days included ' +
      '(settings security-incident.*.hours: 24, 24 and 72 by default); a missed one escalates to the competent department ' +
      '(js-2020:49). The competent department closes the case once every step is done (POST /v1/cases/:caseId/close).',
    body: SecurityIncidentBodySchema,
    create: createSecurityIncident,
  });

  caseActionRoutes(app, SECURITY_INCIDENT, [
    {
      action: 'close',
      summary:
        'Security incident (the competent department of its jurisdiction): close it with a summary once remediation, the reports and any notification are done (409 tasks_open before)',
      body: actionFields('close', { summary: FilledText(4000, 'missing_fields', 'what was done and found') }, ['summary']),
      bodyOptional: true,
    },
  ]);
};

export default securityIncidentRoutes;

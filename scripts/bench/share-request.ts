// The case every bench section starts straight on Temporal (no HTTP): a conditional share request of
// `<tag>-req` for `<tag>-ds` of `<tag>-prov` in Suzhou, registered through the API first so that
// the product's projections and checks see real agencies, principals and a dataset.
import { resolveForCase } from '../../src/api/services/policies';
import { shanghaiDate } from '../../src/domain/calendar';
import type { ShareRequestInput } from '../../src/domain/share-request';
import type { Stack } from './stack';

/** What a section needs to start and decide share requests of one requester and one provider. */
export interface ShareRequestFixture {
  /** The requester's and the provider's principals: `{id, token}` as POST /v1/principals answers. */
  requester: { id: string; token: string };
  provider: { id: string; token: string };
  datasetId: string;
  /** The body of POST /v1/share-requests for the dataset. */
  request: ShareRequestInput['request'];
  /** The shareRequest workflow's input as the API builds it, received at `receivedAt` (an instant). */
  input(caseId: string, receivedAt: string): ShareRequestInput;
}

/**
 * Registers the agencies, principals and dataset of `tag` (ids `<tag>-req`, `<tag>-prov`,
 * `<tag>-ds`) and resolves the rules in force on `policyDate` (an instant; default now).
 * @throws Error when the API refuses a registration (e.g. the tag was used before in this stack).
 */
export async function shareRequestFixture(s: Stack, tag: string, policyDate = new Date().toISOString()): Promise<ShareRequestFixture> {
  const { call, adminToken } = s;
  const [req, prov, datasetId] = [`${tag}-req`, `${tag}-prov`, `${tag}-ds`];
  await call('POST', '/v1/agencies', adminToken, { id: req, name: `${tag} requester`, jurisdiction: 'suzhou' });
  await call('POST', '/v1/agencies', adminToken, { id: prov, name: `${tag} provider`, jurisdiction: 'suzhou' });
  const requester = await call('POST', '/v1/principals', adminToken, { name: `${tag} r`, agencyId: req, roles: ['requester'] });
  const provider = await call('POST', '/v1/principals', adminToken, { name: `${tag} p`, agencyId: prov, roles: ['provider'] });
  const dataset = { id: datasetId, name: `${tag} data`, providerAgencyId: prov, shareClass: 'conditional', legalBasis: 'bench', fields: ['a', 'b'] } as const;
  await call('POST', '/v1/datasets', adminToken, { ...dataset, fields: [...dataset.fields], openClass: 'none' });
  const policy = await resolveForCase(s.db, 'suzhou', 'share-request', shanghaiDate(policyDate));
  const request = { datasetId, purpose: 'bench', scenario: 'bench', legalDuty: 'bench', accessMode: 'api', commitment: true } as const;
  return {
    requester,
    provider,
    datasetId,
    request,
    input: (caseId, receivedAt) => ({
      version: 1,
      caseId,
      receivedAt,
      receivedVia: 'api',
      createdBy: requester.id,
      jurisdiction: 'suzhou',
      policy,
      requester: { principalId: requester.id, agencyId: req },
      dataset: { ...dataset, fields: [...dataset.fields], jurisdiction: 'suzhou' },
      request,
    }),
  };
}

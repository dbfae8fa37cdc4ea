// Recorded histories of every workflow replay without nondeterminism against today's code: the
// guard for changes to running workflow logic (which must go behind patched()).
// Record anew with:  RECORD_HISTORIES=1 npx vitest run test/workflows/replay.test.ts
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from '@temporalio/worker';
import proto from '@temporalio/proto';
import { inject } from 'vitest';
import { startHarness, type Harness } from '../fixtures/harness';
import { agency, dataset, principal, shareBody } from '../fixtures/actors';

// @temporalio/common's historyToJSON uses another copy of protobufjs than the client's history
// objects (npm nests three), so we convert with the History type the client itself used.
const History = proto.temporal.api.history.v1.History;
const DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

describe.runIf(process.env.RECORD_HISTORIES)('recording histories', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('records one finished case of each path', async () => {
    const req = await agency(h, 'rec-req', 'suzhou');
    const prov = await agency(h, 'rec-prov', 'suzhou-sip');
    const bureau = await agency(h, 'rec-bureau', 'suzhou-sip');
    const requester = await principal(h, ['requester'], req);
    const provider = await principal(h, ['provider'], prov);
    const competent = await principal(h, ['competent'], bureau);
    const ops = await principal(h, ['operations'], bureau);
    const post = (url: string, token: string, body: unknown) => h.call('POST', url, { token, body });
    const taskOf = async (token: string, caseId: string) =>
      ((await h.call('GET', '/v1/inbox?limit=200', { token })).json().items as { taskId: string; caseId: string }[]).find((t) => t.caseId === caseId)!;
    const save = async (name: string, caseId: string) => {
      const history = await h.client.workflow.getHandle(caseId).fetchHistory();
      writeFileSync(`${DIR}${name}.json`, JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1));
    };

    const uncond = (await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'unconditional')))).json();
    await post(`/v1/cases/${uncond.caseId}/dispose`, requester.token, { method: 'delete' });
    await save('share-request-unconditional-disposed', uncond.caseId);

    const joint = (await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'conditional'), { accessMode: 'copy' }))).json();
    await post(`/v1/tasks/${(await taskOf(competent.token, joint.caseId)).taskId}/decision`, competent.token, { action: 'consent' });
    await post(`/v1/tasks/${(await taskOf(competent.token, joint.caseId)).taskId}/decision`, competent.token, { action: 'refuse', legalBasis: '《数据安全法》' });
    await save('share-request-copy-then-refused', joint.caseId);

    const withdrawn = (await post('/v1/share-requests', requester.token, shareBody(await dataset(h, prov, 'none')))).json();
    await post(`/v1/cases/${withdrawn.caseId}/withdraw`, requester.token, {});
    await save('share-request-withdrawn', withdrawn.caseId);

    const late = (
      await post('/v1/share-requests', ops.token, shareBody(await dataset(h, prov, 'none'), { registration: { requesterAgencyId: req, receivedAt: '2026-10-09T09:00:00+08:00', channel: 'paper' } }))
    ).json();
    const supervision = await taskOf(competent.token, late.caseId);
    await post(`/v1/tasks/${supervision.taskId}/decision`, competent.token, { action: 'order_correction', note: '限期改正' });
    await post(`/v1/tasks/${(await taskOf(provider.token, late.caseId)).taskId}/decision`, provider.token, { action: 'provide_desensitised' });
    await post(`/v1/cases/${late.caseId}/dispose`, requester.token, {});
    await save('share-request-escalated-desensitised-disposed', late.caseId);

    const demand = (await post('/v1/share-demands', requester.token, { providerAgencyId: prov, description: '企业用工数据', purpose: '就业监测', legalDuty: '《就业促进法》' })).json();
    await post(`/v1/tasks/${(await taskOf(provider.token, demand.caseId)).taskId}/decision`, provider.token, { action: 'agree' });
    await post(`/v1/tasks/${(await taskOf(provider.token, demand.caseId)).taskId}/decision`, provider.token, { action: 'deliver', datasetId: await dataset(h, prov, 'conditional') });
    await save('share-demand-delivered', demand.caseId);
  });
});

describe('replaying recorded histories', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has histories to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = History.fromObject(JSON.parse(readFileSync(`${DIR}${file}`, 'utf8')));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, file.replace(/\.json$/, ''));
  });
});

// Webhook events a transition causes (the outbox) and the targets a delivery may reach: pure rules.
import { describe, expect, it } from 'vitest';
import { transitionEvents } from '../../src/domain/webhooks';
import type { TaskState, TransitionInput } from '../../src/domain/transition';
import { addressRefusal, checkedLookup, urlRefusal } from '../../src/webhooks/targets';

const task = (taskId: string, status: 'open' | 'closed' = 'open') =>
  ({ taskId, kind: 'provider_review', assignee: { agencyId: 'p', role: 'provider', jurisdiction: 'suzhou' }, actions: ['approve'], requiredFields: {}, citation: 'js-2020:21', deadline: null, status, escalated: false, openedAt: '2026-10-09T01:00:00.000Z', closedAt: null, outcome: null }) as unknown as TaskState;

const transition = (revision: number, status: string, extra: Partial<TransitionInput> = {}): TransitionInput => ({
  revision,
  projection: { caseId: 'c1', type: 'share-request', status, jurisdiction: 'suzhou', requesterAgencyId: 'r', providerAgencyId: 'p', datasetId: 'd', createdBy: 'u', receivedAt: '2026-10-09T01:00:00.000Z' },
  audit: [],
  grants: [],
  tasks: [],
  ...extra,
});
const NOW = '2026-10-09T02:00:00.000Z';

describe('transitionEvents (the outbox)', () => {
  it('a first commit: case.created and task.opened for each new open task', () => {
    const e = transitionEvents(transition(1, 'pending_review', { tasks: [task('c1.review.1')] }), null, new Set(), NOW);
    expect(e.map((x) => x.type)).toEqual(['case.created', 'task.opened']);
    expect(e[1]!.data).toMatchObject({ caseId: 'c1', caseType: 'share-request', status: 'pending_review', taskId: 'c1.review.1' });
  });

  it('a status change, once; a task already in the inbox is not opened again', () => {
    const e = transitionEvents(transition(2, 'granted', { tasks: [task('c1.review.1', 'closed'), task('c1.other.2')] }), { status: 'pending_review', revision: 1 }, new Set(['c1.other.2']), NOW);
    expect(e.map((x) => x.type)).toEqual(['case.status_changed']);
    expect(e[0]!.data).toMatchObject({ status: 'granted', previousStatus: 'pending_review' });
    expect(e[0]!.key).toBe('c1:status:2');
  });

  it('reminders and missed deadlines: task.due_soon and task.overdue', () => {
    const audit = [
      { eventKey: 'k1', caseId: 'c1', at: NOW, actor: 'system', event: 'deadline_reminder', detail: { taskId: 't', dueAt: 'x' }, citation: 'js-2020:21' },
      { eventKey: 'k2', caseId: 'c1', at: NOW, actor: 'system', event: 'deadline_missed', detail: { taskId: 't' }, citation: 'js-2020:21' },
    ];
    const e = transitionEvents(transition(3, 'pending_review', { audit }), { status: 'pending_review', revision: 2 }, new Set(), NOW);
    expect(e.map((x) => [x.type, x.key])).toEqual([
      ['task.due_soon', 'k1:task.due_soon'],
      ['task.overdue', 'k2:task.overdue'],
    ]);
  });

  it('nothing for a retried commit the projection already has', () => {
    expect(transitionEvents(transition(2, 'granted'), { status: 'granted', revision: 2 }, new Set(), NOW)).toEqual([]);
  });
});

describe('webhook targets', () => {
  const off = { allowLoopback: false };
  const on = { allowLoopback: true };
  it('https only; plain http only to loopback with the setting on', () => {
    expect(urlRefusal('https://agency.example.org/hook', off)).toBeNull();
    expect(urlRefusal('http://agency.example.org/hook', on)).toMatch(/https/);
    expect(urlRefusal('http://127.0.0.1:8080/hook', on)).toBeNull();
    expect(urlRefusal('http://127.0.0.1:8080/hook', off)).not.toBeNull();
    expect(urlRefusal('https://localhost/hook', off)).toMatch(/loopback/);
    expect(urlRefusal('https://user:pw@agency.example.org/', off)).toMatch(/credentials/);
  });

  it('refuses private, link-local and mapped addresses whatever the setting', () => {
    for (const a of ['10.0.0.1', '172.16.5.5', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', 'fe80::1', 'fd00::1', '::ffff:10.0.0.1', '::']) {
      expect(addressRefusal(a, on), a).not.toBeNull();
    }
    expect(addressRefusal('::ffff:127.0.0.1', off)).toMatch(/loopback/);
    expect(addressRefusal('93.184.216.34', off)).toBeNull();
    expect(addressRefusal('93.184.216.34', { allowLoopback: true, loopbackOnly: true })).toMatch(/only to loopback/);
  });

  it('checks the addresses a name resolves to, at delivery', async () => {
    const lookup = (s: { allowLoopback: boolean }) =>
      new Promise<unknown>((resolve, reject) => checkedLookup(s)('localhost', { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
    await expect(lookup(off)).rejects.toThrow(/loopback/);
    await expect(lookup(on)).resolves.toBeTruthy();
  });
});

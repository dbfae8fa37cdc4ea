// The forms of decisions (domain/decision-forms.ts): one schema per action, built from the task's
// required fields and the fields every action takes; a decision that does not fit is refused
// with every failing path.
import { describe, expect, it } from 'vitest';
import { COMMON_FIELDS, fieldSchema, formRefusal, formsFor } from '../../src/domain/decision-forms';
import { decisionRefusal, type TaskSpec } from '../../src/domain/tasks';

const forms = formsFor(['approve', 'refuse'], { refuse: ['legalBasis'] }, { approve: ['workingDays'] });

describe('formsFor', () => {
  it('requires what the rules require and takes the common fields and the action’s own, nothing else', () => {
    expect(forms.refuse).toMatchObject({ type: 'object', required: ['legalBasis'], additionalProperties: false });
    expect(Object.keys(forms.refuse!.properties as object).sort()).toEqual([...COMMON_FIELDS].sort());
    expect(Object.keys(forms.approve!.properties as object)).toContain('workingDays');
    expect(Object.keys(forms.refuse!.properties as object)).not.toContain('workingDays');
  });

  it('describes a finding report by its number, and a field the catalogue lacks as text', () => {
    expect(fieldSchema('finding3')).toMatchObject({ type: 'string', description: expect.stringContaining('finding 3') });
    expect(fieldSchema('newField')).toMatchObject({ type: 'string', maxLength: 4000 });
  });
});

describe('formRefusal', () => {
  it('accepts what fits, and names every path that does not', () => {
    expect(formRefusal(forms.refuse, 'refuse', { legalBasis: '《数据安全法》' })).toBeNull();
    const r = formRefusal(forms.refuse, 'refuse', { legalBasis: 42, colour: 'red', reason: '' });
    expect(r).toMatchObject({ status: 422, code: 'invalid_decision_fields' });
    expect((r!.details as { paths: string[] }).paths.sort()).toEqual(['/colour', '/legalBasis', '/reason']);
  });

  it('comes after the required fields in a decision’s judgment, whose codes stay their own', () => {
    const task: TaskSpec = {
      taskId: 't1',
      kind: 'provider_review',
      assignee: { agencyId: 'a', role: 'provider', jurisdiction: 'suzhou' },
      actions: ['approve', 'refuse'],
      requiredFields: { refuse: ['legalBasis'] },
      forms,
      citation: 'js-2020:21',
      deadline: null,
    };
    const caller = { principalId: 'p', agencyId: 'a', roles: ['provider'], jurisdiction: 'suzhou' };
    expect(decisionRefusal(task, { taskId: 't1', action: 'refuse', caller, fields: {} })).toMatchObject({ code: 'legal_basis_required' });
    expect(decisionRefusal(task, { taskId: 't1', action: 'refuse', caller, fields: { legalBasis: 'x', extra: 1 } })).toMatchObject({ code: 'invalid_decision_fields' });
    expect(decisionRefusal(task, { taskId: 't1', action: 'approve', caller, fields: { workingDays: 12 } })).toBeNull();
  });
});

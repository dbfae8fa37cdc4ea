// Numbers the texts leave open. PROCESSES.md: "立即" and "及时" carry no number; they are policy
// settings with a visible default, never silently infinite. Each setting names the articles that
// leave it open, so the listing shows exactly where the law stops and the deployment begins.
import type { Setting, SettingId } from './types';

export const SETTINGS: readonly Readonly<Setting>[] = Object.freeze(
  (
    [
      {
        id: 'share-request.copy_consent.workingDays',
        defaultValue: 5,
        unit: 'working_days',
        citations: ['js-2020:20'],
        reason:
          'js-2020:20 requires the competent department to consent to copying data but sets no period; ' +
          'the default is the 5 working days js-2020:21 gives a conditional review.',
      },
      {
        id: 'share-request.joint_review.workingDays',
        defaultValue: 5,
        unit: 'working_days',
        citations: ['sip-2021:24', 'jy-2023:23'],
        reason:
          'The competent department reviews together with the responsible department, but the texts set ' +
          'no period; the default is the 5 working days of the provincial js-2020:21.',
      },
      {
        id: 'share-request.not_shared_review.workingDays',
        defaultValue: 5,
        unit: 'working_days',
        citations: ['js-2020:19'],
        reason:
          'js-2020:19 lets non-shared data be provided after desensitisation but sets no period for the ' +
          "provider's answer; the default is the 5 working days of js-2020:21.",
      },
      {
        id: 'open-data-application.acceptance.workingDays',
        defaultValue: 2,
        unit: 'working_days',
        citations: ['sz-open-2023:20'],
        reason:
          'sz-open-2023:20 sets no period for acceptance (受理) and only says the accepted application is ' +
          'passed on promptly (及时移交); 2 working days keep the 10-day review meaningful.',
      },
      {
        id: 'objection.correction.workingDays',
        defaultValue: 5,
        unit: 'working_days',
        citations: ['js-2020:45'],
        reason: 'js-2020:45 says "及时" (promptly); the default is the 5 working days of sz-open-2023:10.',
      },
      {
        id: 'objection.correction.maxWorkingDays',
        defaultValue: 30,
        unit: 'working_days',
        citations: ['js-2020:45'],
        reason:
          'js-2020:45 sets no limit for complex cases; the default is the 30 working days of sz-open-2023:10.',
      },
      {
        id: 'quality-rectification.rectification.workingDays',
        defaultValue: 10,
        unit: 'working_days',
        citations: ['js-2020:17'],
        reason:
          'js-2020:17 says "在规定的期限内" (within the prescribed period) without prescribing one; ' +
          'the default is the 10 working days of sz-open-2023:16.',
      },
      {
        id: 'rights-claim.verification.workingDays',
        defaultValue: 1,
        unit: 'working_days',
        citations: ['sz-open-2023:38', 'js-2020:36'],
        reason:
          'sz-open-2023:38 says "立即核实" (verify immediately) and js-2020:36 sets no period for a claim; ' +
          'immediately is read as within 1 working day, never as no deadline.',
      },
      {
        id: 'reminder.leadWorkingDays',
        defaultValue: 1,
        unit: 'working_days',
        citations: [],
        reason: 'Product setting, not law: the assignee is reminded this many working days before a deadline.',
      },
    ] satisfies Setting[]
  ).map((s) => Object.freeze({ ...s, citations: Object.freeze(s.citations) as string[] })),
);

export const SETTING_IDS: readonly SettingId[] = SETTINGS.map((s) => s.id);

export type SettingValues = Partial<Record<SettingId, number>>;

export function isSettingId(id: unknown): id is SettingId {
  return typeof id === 'string' && (SETTING_IDS as readonly string[]).includes(id);
}

/** The value of a setting: the deployment's override if given, else the visible default. */
export function settingValue(id: SettingId, values: SettingValues = {}): number {
  const override = values[id];
  if (override !== undefined) {
    if (!Number.isInteger(override) || override < 1) {
      throw new RangeError(`setting ${id} must be a whole number of working days >= 1, got ${override}`);
    }
    return override;
  }
  const setting = SETTINGS.find((s) => s.id === id);
  if (!setting) throw new RangeError(`unknown setting: ${id}`);
  return setting.defaultValue;
}

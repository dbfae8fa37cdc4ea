// Numbers the texts leave open. PROCESSES.md: "立即" and "及时" carry no number; they are policy
// settings with a visible default, never silently infinite. Each setting names the articles that
// leave it open, so the listing shows exactly where the law stops and the deployment begins.
import { processSettings } from '../process';
import type { Setting, SettingId } from './types';

/** The product's own settings (not law), beside the processes' (each descriptor's `settings`). */
const PRODUCT_SETTINGS: readonly Setting[] = [
  {
    id: 'reminder.leadWorkingDays',
    defaultValue: 1,
    unit: 'working_days',
    citations: [],
    reason: 'Product setting, not law: the assignee is reminded this many working days before a deadline.',
  },
];

let all: readonly Readonly<Setting>[] | undefined;

/** Every setting: each process's, in registry order, then the product's. Frozen. */
export function allSettings(): readonly Readonly<Setting>[] {
  all ??= Object.freeze(
    [...processSettings(), ...PRODUCT_SETTINGS].map((s) => Object.freeze({ ...s, citations: Object.freeze([...s.citations]) as string[] })),
  );
  return all;
}

/** Every setting id, in the order of allSettings(). */
export function settingIds(): SettingId[] {
  return allSettings().map((s) => s.id);
}

export type SettingValues = Partial<Record<SettingId, number>>;

export function isSettingId(id: unknown): id is SettingId {
  return typeof id === 'string' && allSettings().some((s) => s.id === id);
}

/** The value of a setting, in its unit (working days or hours): the deployment's override if given, else the visible default. */
export function settingValue(id: SettingId, values: SettingValues = {}): number {
  const setting = allSettings().find((s) => s.id === id);
  const override = values[id];
  if (override !== undefined) {
    if (!Number.isInteger(override) || override < 1) {
      const unit = setting?.unit === 'hours' ? 'hours' : 'working days';
      throw new RangeError(`setting ${id} must be a whole number of ${unit} >= 1, got ${override}`);
    }
    return override;
  }
  if (!setting) throw new RangeError(`unknown setting: ${id}`);
  return setting.defaultValue;
}

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseView } from '../../domain/cases';

/**
 * An update, not a query: the API must not answer 201 before the case's first state is committed
 * to PostgreSQL, and the update returns only once it is.
 */
export const openedUpdate = defineUpdate<{ revision: number }>('opened');

/** The case as the workflow holds it (for administrators and debugging; the API reads PostgreSQL). */
export const caseQuery = defineQuery<CaseView>('case');

/**
 * A calendar year's official arrangement was loaded: a case holding a provisional deadline
 * recomputes it (through the calendar activity, so the result is in history) and moves its timer.
 * A signal, not an update: the administrator's PUT must not wait on every running case.
 */
export const calendarChangedSignal = defineSignal<[{ year: number }]>('calendarChanged');

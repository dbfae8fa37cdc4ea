// The console's only way to the server: the public API (API.md, API-2.md) with the bearer token
// kept in session storage (gone when the tab closes; never in a URL).

const TOKEN_KEY = 'pdg.console.token';

/** The token of this tab's session, or null when signed out. */
export const getToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (token: string | null): void => (token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY));

/** A non-2xx answer: the API's error body `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Calls the API as the signed-in principal (or with `token`); answers the JSON body.
 * @throws ApiError for a non-2xx answer (a 401 also signs the tab out).
 */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown, token = getToken()): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const e = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? res.statusText, e?.details);
  }
  return json as T;
}

/** The fields a 422 names: `details.missing`, `details.paths` (JSON pointers) or `details.field`. */
export function fieldsOf(err: ApiError): string[] {
  const d = (err.details ?? {}) as { missing?: unknown; paths?: unknown; field?: unknown };
  const out: string[] = [];
  if (Array.isArray(d.missing)) out.push(...d.missing.map(String));
  if (Array.isArray(d.paths)) out.push(...d.paths.map((p) => String(p).replace(/^\//, '').split('/')[0]!));
  if (typeof d.field === 'string') out.push(d.field.replace(/^body[./]?/, ''));
  return [...new Set(out.filter(Boolean))];
}

export interface Me {
  id: string;
  name: string;
  agencyId: string | null;
  jurisdiction: string | null;
  roles: string[];
}

export type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  const?: unknown;
  description?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
};

export interface Task {
  taskId: string;
  caseId: string;
  caseType: string;
  kind: string;
  assignee: { agencyId: string | null; role: string; jurisdiction: string };
  dueAt: string | null;
  dueDate: string | null;
  provisional: boolean;
  overdue: boolean;
  dueSoon: boolean;
  escalated: boolean;
  actions: string[];
  forms: Record<string, JsonSchema>;
  citation: string;
  claimedBy: string | null;
  openedAt: string;
}

export interface Deadline {
  key: string;
  unit?: 'working_days' | 'hours';
  workingDays?: number;
  hours?: number;
  dueDate: string;
  dueAt: string;
  provisional: boolean;
  citation: string;
  state: string;
}

export interface CaseView {
  caseId: string;
  type: string;
  status: string;
  jurisdiction: string;
  receivedAt: string;
  summary?: string;
  parties: Record<string, unknown>;
  outcome: Record<string, unknown> | null;
  deadlines: Deadline[];
  grants?: Record<string, unknown>[];
  history: { at: string; actor: string; event: string; detail: Record<string, unknown>; citation: string | null }[];
}

export interface TimelinessRow {
  agencyId: string | null;
  caseType: string;
  received: number;
  decided: number;
  onTime: number;
  late: number;
  deemed: number;
  overdueOpen: number;
  medianWorkingDays: number | null;
  refusals: number;
}

export interface Notice {
  id: string;
  caseId: string;
  caseType: string;
  agencyId: string | null;
  reason: string;
  orderedBy: string;
  dueAt: string;
  issuedAt: string;
  citation: string;
}

/** The inbox's due state of a task: overdue (red), due soon (amber), on time (green), no deadline. */
export type DueState = 'overdue' | 'soon' | 'ok' | 'none';
export const dueState = (t: Pick<Task, 'dueAt' | 'overdue' | 'dueSoon'>): DueState => (t.overdue ? 'overdue' : t.dueSoon ? 'soon' : t.dueAt ? 'ok' : 'none');

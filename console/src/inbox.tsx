// The inbox: the caller's open tasks, soonest due first, each with its due state at a glance
// (colour and words: 已逾期 red, 即将到期 amber, 正常 green), its due date and article; filters;
// claim, release and hand over.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, dueState, type Me, type Task } from './api';
import { caseTypeIds, caseTypeName, t } from './i18n';

interface Page {
  items: Task[];
  nextCursor: string | null;
}
interface Filters {
  caseType: string;
  overdue: boolean;
  claim: '' | 'mine' | 'unclaimed';
}

const query = (f: Filters, cursor?: string | null) => {
  const q = new URLSearchParams({ limit: '50' });
  if (f.caseType) q.set('caseType', f.caseType);
  if (f.overdue) q.set('overdue', 'true');
  if (f.claim) q.set('claim', f.claim);
  if (cursor) q.set('cursor', cursor);
  return `/v1/inbox?${q}`;
};

/** Where a page leaves a message for the inbox to say once (e.g. a decision was recorded). */
export const FLASH_KEY = 'pdg.console.flash';

/** The due state's badge: colour by class, and the words (colour is never the only sign). */
export function DueBadge(props: { task: Pick<Task, 'dueAt' | 'overdue' | 'dueSoon'> }) {
  const s = dueState(props.task);
  return (
    <span class={`due due-${s}`} data-due={s}>
      {t(s)}
    </span>
  );
}

function TaskRow(props: { task: Task; me: Me; onChanged: () => void; onError: (m: string) => void }) {
  const { task, me } = props;
  const [handing, setHanding] = useState(false);
  const [colleague, setColleague] = useState('');
  const act = async (path: string, body?: unknown) => {
    try {
      await api('POST', `/v1/tasks/${encodeURIComponent(task.taskId)}/${path}`, body);
      setHanding(false);
      props.onChanged();
    } catch (err) {
      props.onError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const href = `#/case/${encodeURIComponent(task.caseId)}?task=${encodeURIComponent(task.taskId)}`;
  return (
    <tr data-task-id={task.taskId} class={`row-${dueState(task)}`}>
      <td>
        <DueBadge task={task} />
      </td>
      <td>
        {task.dueDate ?? '—'}
        {task.provisional ? <span class="mark"> （{t('provisional')}）</span> : null}
      </td>
      <td>{task.citation}</td>
      <td>
        <a href={href} class="open-task">
          {caseTypeName(task.caseType)} · {task.kind}
        </a>
        <div class="sub">{task.caseId}</div>
      </td>
      <td>{task.claimedBy ? (task.claimedBy === me.id ? me.name : task.claimedBy) : '—'}</td>
      <td class="buttons">
        {!task.claimedBy ? (
          <button type="button" onClick={() => void act('claim')} aria-label={`${t('claim')} ${task.kind}`}>
            {t('claim')}
          </button>
        ) : null}
        {task.claimedBy === me.id ? (
          <button type="button" onClick={() => void act('release')} aria-label={`${t('release')} ${task.kind}`}>
            {t('release')}
          </button>
        ) : null}
        {handing ? (
          <form
            class="inline"
            onSubmit={(e) => {
              e.preventDefault();
              void act('assign', { principalId: colleague.trim() });
            }}
          >
            <label for={`to-${task.taskId}`}>{t('colleague')}</label>
            <input id={`to-${task.taskId}`} value={colleague} onInput={(e) => setColleague(e.currentTarget.value)} required />
            <button type="submit">{t('confirm')}</button>
            <button type="button" onClick={() => setHanding(false)}>
              {t('cancel')}
            </button>
          </form>
        ) : (
          <button type="button" onClick={() => setHanding(true)} aria-label={`${t('handOver')} ${task.kind}`}>
            {t('handOver')}
          </button>
        )}
      </td>
    </tr>
  );
}

export function Inbox(props: { me: Me }) {
  const [filters, setFilters] = useState<Filters>({ caseType: '', overdue: false, claim: '' });
  const [applied, setApplied] = useState(filters);
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const [flash] = useState(() => {
    const m = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    return m;
  });

  useEffect(() => {
    setError(null);
    api<Page>('GET', query(applied))
      .then(setPage)
      .catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  }, [applied, tick]);

  const more = async () => {
    if (!page?.nextCursor) return;
    const next = await api<Page>('GET', query(applied, page.nextCursor));
    setPage({ items: [...page.items, ...next.items], nextCursor: next.nextCursor });
  };

  return (
    <main id="main">
      <h1 tabIndex={-1}>{t('inbox')}</h1>
      {flash ? (
        <p role="status" class="flash">
          {flash}
        </p>
      ) : null}
      <form
        class="filters"
        aria-label={t('filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(filters);
        }}
      >
        <label for="f-type">{t('caseType')}</label>
        <select id="f-type" value={filters.caseType} onChange={(e) => setFilters({ ...filters, caseType: e.currentTarget.value })}>
          <option value="">{t('all')}</option>
          {caseTypeIds().map((id) => (
            <option value={id}>{caseTypeName(id)}</option>
          ))}
        </select>
        <label for="f-claim">{t('claimFilter')}</label>
        <select id="f-claim" value={filters.claim} onChange={(e) => setFilters({ ...filters, claim: e.currentTarget.value as Filters['claim'] })}>
          <option value="">{t('all')}</option>
          <option value="mine">{t('mine')}</option>
          <option value="unclaimed">{t('unclaimed')}</option>
        </select>
        <label class="check">
          <input type="checkbox" checked={filters.overdue} onChange={(e) => setFilters({ ...filters, overdue: e.currentTarget.checked })} />
          {t('overdueOnly')}
        </label>
        <button type="submit">{t('apply')}</button>
      </form>
      {error ? (
        <p class="error" role="alert">
          {error}
        </p>
      ) : null}
      {!page ? (
        <p>{t('loading')}</p>
      ) : page.items.length === 0 ? (
        <p class="empty">{t('empty')}</p>
      ) : (
        <table class="inbox">
          <caption class="sr-only">{t('inbox')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dueState')}</th>
              <th scope="col">{t('dueDate')}</th>
              <th scope="col">{t('article')}</th>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('claimedBy')}</th>
              <th scope="col">{t('actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((task) => (
              <TaskRow key={task.taskId} task={task} me={props.me} onChanged={() => setTick((n) => n + 1)} onError={setError} />
            ))}
          </tbody>
        </table>
      )}
      {page?.nextCursor ? (
        <button type="button" onClick={() => void more()}>
          {t('more')}
        </button>
      ) : null}
    </main>
  );
}

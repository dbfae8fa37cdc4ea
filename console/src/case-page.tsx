// A case: its state, deadlines with their articles (provisional ones marked), grants, the
// timeline from `history`, the data-use agreement (printable), the caller's open tasks on it with
// their decision forms, and the party actions of its type.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type CaseView, type JsonSchema, type Me, type Task } from './api';
import { caseTypeName, t, when } from './i18n';
import { CaseActionForm, DecisionForm } from './decision';
import { DueBadge, FLASH_KEY } from './inbox';

interface CaseAction {
  action: string;
  summary: string;
  body: JsonSchema;
}
interface Agreement {
  status: string;
  citation: string;
  sha256: string;
  text: string;
  signatures: { party: string; principalId: string; at: string }[];
}

/** The caller's open tasks on the case, from the inbox (a few pages at most). */
async function openTasks(caseId: string): Promise<Task[]> {
  const found: Task[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 5; i++) {
    const page: { items: Task[]; nextCursor: string | null } = await api('GET', `/v1/inbox?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    found.push(...page.items.filter((x) => x.caseId === caseId));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return found;
}

const period = (d: CaseView['deadlines'][number]) => (d.unit === 'hours' ? `${d.hours} ${t('hours')}` : d.workingDays !== undefined ? `${d.workingDays} ${t('workingDays')}` : '—');

export function CasePage(props: { me: Me; caseId: string; taskId: string | null }) {
  const [view, setView] = useState<CaseView | null>(null);
  const [tasks, setTasks] = useState<Task[]>([]);
  const [actions, setActions] = useState<CaseAction[]>([]);
  const [agreement, setAgreement] = useState<Agreement | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const path = `/v1/cases/${encodeURIComponent(props.caseId)}`;

  useEffect(() => {
    setError(null);
    Promise.all([api<CaseView>('GET', path), openTasks(props.caseId)])
      .then(async ([c, ts]) => {
        setView(c);
        setTasks(ts);
        const { items } = await api<{ items: CaseAction[] }>('GET', `/v1/case-actions?caseType=${encodeURIComponent(c.type)}`);
        setActions(items);
        if (c.type === 'open-data-application') setAgreement(await api<Agreement>('GET', `${path}/agreement`).catch(() => null));
      })
      .catch((err: unknown) => setError(err instanceof ApiError ? err.message : String(err)));
  }, [props.caseId, tick]);

  // Decided: back to the inbox, which says so (role=status) where the task was.
  const decided = (c: CaseView) => {
    sessionStorage.setItem(FLASH_KEY, `${t('submitted')} ${caseTypeName(c.type)} ${c.caseId}: ${c.status}`);
    location.hash = '#/inbox';
  };

  if (error)
    return (
      <main id="main">
        <h1 tabIndex={-1}>{t('case')}</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </main>
    );
  if (!view) return <p>{t('loading')}</p>;
  return (
    <main id="main" class="case">
      <p class="noprint">
        <a href="#/inbox">← {t('back')}</a>
      </p>
      <h1 tabIndex={-1}>
        {caseTypeName(view.type)} <span class="sub">{view.caseId}</span>
      </h1>
      {view.summary ? <p>{view.summary}</p> : null}
      <dl class="facts noprint">
        <dt>{t('status')}</dt>
        <dd data-status={view.status}>{view.status}</dd>
        <dt>{t('received')}</dt>
        <dd>{when(view.receivedAt)}</dd>
        <dt>{t('jurisdiction')}</dt>
        <dd>{view.jurisdiction}</dd>
        <dt>{t('parties')}</dt>
        <dd>
          {Object.entries(view.parties)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join('；')}
        </dd>
        {view.outcome ? (
          <>
            <dt>{t('outcome')}</dt>
            <dd>{JSON.stringify(view.outcome)}</dd>
          </>
        ) : null}
      </dl>

      <section class="noprint" aria-labelledby="tasks-h">
        <h2 id="tasks-h">{t('openTasks')}</h2>
        {tasks.length === 0 ? <p>{t('noOpenTasks')}</p> : null}
        {[...tasks]
          .sort((a, b) => Number(b.taskId === props.taskId) - Number(a.taskId === props.taskId))
          .map((task) => (
            <div class="task" key={task.taskId}>
              <p>
                <DueBadge task={task} /> {t('dueDate')}: {task.dueDate ?? '—'} · {t('article')}: {task.citation}
              </p>
              <DecisionForm task={task} onDecided={decided} />
            </div>
          ))}
      </section>

      <section class="noprint" aria-labelledby="deadlines-h">
        <h2 id="deadlines-h">{t('deadlines')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('task')}</th>
              <th scope="col">{t('period')}</th>
              <th scope="col">{t('dueDate')}</th>
              <th scope="col">{t('article')}</th>
              <th scope="col">{t('state')}</th>
            </tr>
          </thead>
          <tbody>
            {view.deadlines.map((d) => (
              <tr key={d.key + d.dueAt}>
                <td>{d.key}</td>
                <td>{period(d)}</td>
                <td>
                  {d.dueDate}
                  {d.provisional ? (
                    <abbr class="mark" title={t('provisionalHelp')}>
                      {' '}
                      （{t('provisional')}）
                    </abbr>
                  ) : null}
                </td>
                <td>{d.citation}</td>
                <td>{d.state}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section class="noprint" aria-labelledby="grants-h">
        <h2 id="grants-h">{t('grants')}</h2>
        {view.grants?.length ? (
          <ul>
            {view.grants.map((g) => (
              <li>{JSON.stringify(g)}</li>
            ))}
          </ul>
        ) : (
          <p>{t('noGrants')}</p>
        )}
      </section>

      {agreement ? (
        <section class="agreement" aria-labelledby="agreement-h">
          <h2 id="agreement-h">{t('agreement')}</h2>
          <p class="noprint">
            {agreement.status} · {agreement.citation} · sha256 {agreement.sha256.slice(0, 16)}…{' '}
            <button type="button" onClick={() => print()}>
              {t('print')}
            </button>
          </p>
          <pre class="agreement-text">{agreement.text}</pre>
        </section>
      ) : null}

      {actions.length ? (
        <section class="noprint" aria-labelledby="actions-h">
          <h2 id="actions-h">{t('caseActions')}</h2>
          <p class="sub">{t('caseActionsHelp')}</p>
          {actions.map((a) => (
            <CaseActionForm key={a.action} caseId={view.caseId} action={a.action} summary={a.summary} body={a.body} onDone={() => setTick((n) => n + 1)} />
          ))}
        </section>
      ) : null}

      <section class="noprint" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t('timeline')}</h2>
        <ol class="timeline">
          {view.history.map((e, i) => (
            <li key={i}>
              <time dateTime={e.at}>{when(e.at)}</time> <strong>{e.event}</strong> <span class="sub">{e.actor}</span>
              {e.citation ? <span class="cite"> {e.citation}</span> : null}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}

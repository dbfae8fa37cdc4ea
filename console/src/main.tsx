// The console: sign in with a bearer token, then the inbox, a case, and for supervisors the
// timeliness report. Pages are chosen by the URL's fragment (#/inbox, #/case/<id>, #/reports), so
// the server serves one page and the token never appears in a URL.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, getToken, setToken, type Me } from './api';
import { lang, setLang, t } from './i18n';
import { Inbox } from './inbox';
import { CasePage } from './case-page';
import { Reports } from './reports';

const SUPERVISORS = ['competent', 'government', 'admin'];
export const isSupervisor = (me: Me) => me.roles.some((r) => SUPERVISORS.includes(r));

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function SignIn(props: { onSignedIn: (me: Me) => void }) {
  const [token, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const me = await api<Me>('GET', '/v1/me', undefined, token.trim());
      setToken(token.trim());
      props.onSignedIn(me);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <main id="main" class="signin">
      <h1>{t('title')}</h1>
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-heading">
        <h2 id="signin-heading">{t('signIn')}</h2>
        <div class={`field${error ? ' field-error' : ''}`}>
          <label for="token">{t('token')}</label>
          <input id="token" type="password" autoComplete="off" value={token} onInput={(e) => setValue(e.currentTarget.value)} aria-describedby={error ? 'token-help token-error' : 'token-help'} aria-invalid={error ? 'true' : undefined} required />
          <small id="token-help">{t('tokenHelp')}</small>
          {error ? (
            <p class="error" id="token-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit">{t('signIn')}</button>
      </form>
    </main>
  );
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(!!getToken());
  const [, setLangTick] = useState(lang());
  const hash = useHash();
  const heading = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!getToken()) return;
    api<Me>('GET', '/v1/me')
      .then(setMe)
      .catch(() => setToken(null))
      .finally(() => setChecking(false));
  }, []);
  // A new page: focus its main region, so keyboard and screen-reader users start there.
  useEffect(() => heading.current?.querySelector<HTMLElement>('h1')?.focus(), [hash, me]);

  const toggle = () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    setLangTick(lang());
  };
  const langButton = (
    <button type="button" class="link" onClick={toggle} lang={lang() === 'zh' ? 'en' : 'zh-CN'} aria-label={t('languageLabel')}>
      {t('language')}
    </button>
  );
  if (checking) return <p>{t('loading')}</p>;
  if (!me) {
    return (
      <>
        <header class="bar">{langButton}</header>
        <SignIn onSignedIn={setMe} />
      </>
    );
  }
  const signOut = () => {
    setToken(null);
    setMe(null);
    location.hash = '';
  };
  const [, page = 'inbox', ...rest] = hash.replace(/\?.*$/, '').split('/');
  const query = new URLSearchParams(hash.includes('?') ? hash.slice(hash.indexOf('?') + 1) : '');
  let body;
  if (page === 'case' && rest[0]) body = <CasePage me={me} caseId={decodeURIComponent(rest[0])} taskId={query.get('task')} />;
  else if (page === 'reports' && isSupervisor(me)) body = <Reports me={me} />;
  else body = <Inbox me={me} />;
  return (
    <>
      <header class="bar">
        <strong class="brand">{t('title')}</strong>
        <nav aria-label={t('title')}>
          <a href="#/inbox" aria-current={page === 'inbox' ? 'page' : undefined}>
            {t('inbox')}
          </a>
          {isSupervisor(me) ? (
            <a href="#/reports" aria-current={page === 'reports' ? 'page' : undefined}>
              {t('supervision')}
            </a>
          ) : null}
        </nav>
        <span class="who">
          {t('signedInAs')}: {me.name}
          {me.agencyId ? ` · ${me.agencyId}` : ''}
        </span>
        {langButton}
        <button type="button" class="link" onClick={signOut}>
          {t('signOut')}
        </button>
      </header>
      <div ref={heading}>{body}</div>
    </>
  );
}

render(<App />, document.getElementById('app')!);

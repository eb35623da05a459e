import { useCallback, useEffect, useState, type FormEvent } from 'react';

import * as api from '../api';
import type { AuditEvent } from '../api';
import {
  DataTable,
  Hex,
  LiveNotice,
  LoadError,
  Loading,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  describeError,
  isForbidden,
  type NoticeState,
} from '../components';
import { formatTime } from '../format';
import { hasMessage, useI18n, type MessageKey } from '../i18n';

export const KNOWN_ACTIONS = [
  'put',
  'get',
  'shred',
  'upload',
  'session.start',
  'session.refused',
  'session.end',
  'totp.begin',
  'totp.enable',
  'object.verify',
  'user.add',
  'user.grant',
  'user.revoke',
  'user.disable',
  'user.enable',
  'recover',
  'init',
  'domain.create',
  'organisation.add',
  'token.add',
  'token.revoke',
  'user.passwd',
  'catalog.rebuild',
  'witness.register',
  'witness.personal.view',
  'witness.erase',
  'consent.add',
  'interview.record',
  'interview.update',
  'document.add',
  'contact.add',
  'translation.add',
  'job.retry',
  'import',
] as const;

/** An action as the log names it (monospace), with its meaning in the reader's language. */
function ActionLabel({ action }: { action: string }) {
  const { t } = useI18n();
  const key = `action.${action}`;
  return (
    <span className="action">
      <code>{action}</code>
      {hasMessage(key) ? <span className="action-meaning"> {t(key)}</span> : null}
    </span>
  );
}

function EventDetails({ details }: { details: Record<string, unknown> }) {
  if (!details || (typeof details === 'object' && Object.keys(details).length === 0)) return null;
  return <code className="details">{JSON.stringify(details)}</code>;
}

/** Custody-log events, newest first: on this page and the dashboard's recent activity. */
export function EventTable({ events, caption }: { events: AuditEvent[]; caption?: MessageKey }) {
  const { lang } = useI18n();
  return (
    <DataTable
      className="audit-table"
      caption={caption}
      columns={[
        { label: 'audit.colSeq', className: 'num' },
        'audit.colTime',
        'audit.colActor',
        'audit.colAction',
        'audit.colObject',
        'audit.colDetails',
      ]}
    >
      {events.map((e) => (
        <tr key={e.seq} data-action={e.action}>
          <th scope="row" className="num">
            {e.seq}
          </th>
          <td>
            <time dateTime={e.time} title={e.time}>
              {formatTime(e.time, lang)}
            </time>
          </td>
          <td className="actor" title={e.actor}>
            {e.user ?? e.actor}
          </td>
          <td>
            <ActionLabel action={e.action} />
          </td>
          <td>{e.object ? <Hex value={e.object} /> : null}</td>
          <td>
            <EventDetails details={e.details} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function AuditPage() {
  const { t } = useI18n();
  const [events, setEvents] = useState<AuditEvent[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [filter, setFilter] = useState('');
  const [shownFilter, setShownFilter] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (action: string) => {
    setBusy(true);
    try {
      const page = await api.listAudit(null, action || undefined, 50);
      setEvents(page.events);
      setNext(page.next);
      setShownFilter(action);
      setError(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load('');
  }, [load]);

  const older = async () => {
    if (next === null || busy) return;
    setBusy(true);
    try {
      const page = await api.listAudit(next, shownFilter || undefined, 50);
      setEvents((prev) => [...(prev ?? []), ...page.events]);
      setNext(page.next);
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    void load(filter);
  };

  if (error && isForbidden(error)) return <NoRightsPage title={t('audit.title')} />;

  return (
    <>
      <PageHeading>{t('audit.title')}</PageHeading>
      <p>{t('audit.intro')}</p>
      <form className="filter-form" onSubmit={submit}>
        <SelectField
          id="audit-action"
          label={t('audit.filter')}
          emptyOption={t('audit.all')}
          options={KNOWN_ACTIONS}
          optionLabel={(a) => (
            <>
              {a} — {t(`action.${a}`)}
            </>
          )}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <SubmitActions busy={busy}>{t('audit.show')}</SubmitActions>
      </form>
      {error ? <LoadError error={error} /> : null}
      <LiveNotice notice={notice} />
      {events === null ? (
        error ? null : <Loading />
      ) : events.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <EventTable events={events} caption="audit.caption" />
      )}
      {next !== null && events && events.length > 0 ? (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={older} disabled={busy}>
            {busy ? t('app.loading') : t('audit.older')}
          </button>
        </div>
      ) : null}
    </>
  );
}

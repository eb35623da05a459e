import { useState, type FormEvent } from 'react';

import * as api from '../api';
import { GAP_PROBLEMS, PURPOSES, RECIPIENTS, type ConsentGaps, type Purpose, type Recipient } from '../api';
import { Field, LiveNotice, NoRights, PageHeading, describeError, isForbidden, type NoticeState } from '../components';
import { useI18n } from '../i18n';
import { witnessHref } from '../router';

/** Whom a request may not lawfully include: the witnesses whose consent falls short of a use. */
export function ConsentGapsPage() {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState<Purpose>('sharing');
  const [recipient, setRecipient] = useState<Recipient>('icc');
  const [within, setWithin] = useState('30');
  const [result, setResult] = useState<ConsentGaps | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const days = Number(within);
    if (!/^\d{1,4}$/.test(within.trim()) || days > 3650) {
      setNotice({ kind: 'error', text: t('gaps.withinInvalid') });
      document.getElementById('gaps-within')?.focus();
      return;
    }
    setBusy(true);
    setNotice(null);
    try {
      setResult(await api.consentGaps(purpose, recipient, days));
    } catch (err) {
      if (isForbidden(err)) setForbidden(true);
      else setNotice({ kind: 'error', text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  if (forbidden) {
    return (
      <>
        <PageHeading>{t('gaps.title')}</PageHeading>
        <NoRights />
      </>
    );
  }

  return (
    <>
      <PageHeading>{t('gaps.title')}</PageHeading>
      <p>{t('gaps.intro')}</p>
      <form className="filter-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="gaps-purpose">{t('check.purpose')}</label>
          <select id="gaps-purpose" value={purpose} onChange={(e) => setPurpose(e.target.value as Purpose)}>
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t(`purpose.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="gaps-recipient">{t('check.recipient')}</label>
          <select id="gaps-recipient" value={recipient} onChange={(e) => setRecipient(e.target.value as Recipient)}>
            {RECIPIENTS.map((r) => (
              <option key={r} value={r}>
                {t(`recipient.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id="gaps-within"
          label={t('gaps.within')}
          help={t('gaps.withinHelp')}
          type="text"
          inputMode="numeric"
          value={within}
          onChange={(e) => setWithin(e.target.value)}
        />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('gaps.show')}
          </button>
        </div>
      </form>
      <LiveNotice notice={notice} />
      <div role="status" aria-live="polite" className="muted">
        {result ? t('gaps.count', { n: result.gaps.length, today: result.today }) : null}
      </div>
      {result && result.gaps.length > 0 ? (
        <div className="table-wrap">
          <table className="gaps-table">
            <caption className="visually-hidden">{t('gaps.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('witnesses.colCode')}</th>
                <th scope="col">{t('witnesses.colOrganisation')}</th>
                <th scope="col">{t('gaps.problem')}</th>
                <th scope="col">{t('gaps.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {result.gaps.map((g) => (
                <tr key={g.code} data-gap={g.code}>
                  <th scope="row">
                    <a href={witnessHref(g.code)}>{g.code}</a>
                  </th>
                  <td>{g.organisation}</td>
                  <td>
                    <span className={`badge gap-${g.problem}`}>
                      {(GAP_PROBLEMS as readonly string[]).includes(g.problem) ? t(`gap.${g.problem}`) : g.problem}
                    </span>
                  </td>
                  <td>{g.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

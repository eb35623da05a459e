// The disclosure log (what went to whom, when, under which request, permitted by which consent
// version; filtered by witness or request in the URL: #/disclosures?witness=W-00123), and on a
// witness's page where their testimony has gone and who holds it: the recipients to notify when
// the witness withdraws consent. Each read is recorded by the server.

import { useCallback, useState, type FormEvent } from 'react';

import { hasAnyRole, type User, type Witness } from '../api';
import { DISCLOSURE_OFFICERS, disclosureLog, packageHref, requestHref, witnessDisclosures, type Disclosure } from '../disclosure';
import { DataTable, Field, LoadError, Listed, Loading, NoRightsPage, PageHeading, SubmitActions, isForbidden, useLoad } from '../components';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { useHashParams, witnessHref } from '../router';
import { RequestStatusBadge, requesterLabel } from './Requests';
import '../cases.css';

function disclosuresHref(params: { witness?: string; request?: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `#/disclosures?${s}` : '#/disclosures';
}

function DisclosureRows({ items, showWitness }: { items: readonly Disclosure[]; showWitness: boolean }) {
  const { t, lang } = useI18n();
  return (
    <DataTable
      className="disclosures-table"
      caption="disclosures.title"
      columns={[
        'disclosures.colWhen',
        showWitness && 'disclosures.witness',
        'package.colObject',
        'disclosures.colRecipient',
        'requests.colReference',
        'disclosures.request',
        'disclosures.colPackage',
        'disclosures.colConsent',
      ]}
    >
      {items.map((d, k) => (
        <tr key={`${d.package}-${d.object}-${k}`} data-object={d.object}>
          <td>
            <time dateTime={d.exported_at}>{formatTime(d.exported_at, lang)}</time>
          </td>
          {showWitness ? <td>{d.witness ? <a href={witnessHref(d.witness)}>{d.witness}</a> : '—'}</td> : null}
          <td>
            <code>{d.object.slice(0, 12)}…</code>
          </td>
          <td>
            {requesterLabel(t, d.recipient.kind)}
            {d.recipient.body ? ` — ${d.recipient.body}` : ''}
          </td>
          <td>{d.recipient.reference || '—'}</td>
          <td>
            <a href={requestHref(d.request)}>{d.request}</a>
          </td>
          <td>
            <a href={packageHref(d.package)}>{d.package.slice(0, 11)}…</a>
          </td>
          <td>{d.consent_version ? t('disclosures.consentVersion', { version: d.consent_version }) : '—'}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function DisclosuresPage({ user }: { user: User }) {
  const { t } = useI18n();
  const params = useHashParams();
  const witness = params.get('witness') ?? '';
  const request = params.get('request') ?? '';
  const loaded = useLoad(useCallback(() => disclosureLog({ witness, request }), [witness, request]));
  const [draftWitness, setDraftWitness] = useState(witness);
  const [draftRequest, setDraftRequest] = useState(request);
  if (!hasAnyRole(user, DISCLOSURE_OFFICERS) || isForbidden(loaded.error)) return <NoRightsPage title={t('disclosures.title')} />;
  const filter = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = disclosuresHref({ witness: draftWitness.trim(), request: draftRequest.trim() });
  };
  return (
    <>
      <PageHeading>{t('disclosures.title')}</PageHeading>
      <p>{t('disclosures.intro')}</p>
      <form className="filter-form" onSubmit={filter} noValidate aria-label={t('disclosures.filters')}>
        <Field id="disclosures-witness" label={t('disclosures.witness')} type="text" placeholder="W-00123" value={draftWitness} onChange={(e) => setDraftWitness(e.target.value)} />
        <Field id="disclosures-request" label={t('disclosures.request')} type="text" placeholder="RQ-2026-0001" value={draftRequest} onChange={(e) => setDraftRequest(e.target.value)} />
        <SubmitActions busy={false}>{t('disclosures.show')}</SubmitActions>
      </form>
      <Listed error={loaded.error} items={loaded.data?.disclosures} empty={witness || request ? t('disclosures.noneMatch') : t('disclosures.none')}>
        {(items) => <DisclosureRows items={items} showWitness />}
      </Listed>
    </>
  );
}

/** On a witness's page, for legal officers and leads: where the testimony has gone, who holds it. */
export function WitnessDisclosureHistory({ witness, user }: { witness: Witness; user: User }) {
  if (!hasAnyRole(user, DISCLOSURE_OFFICERS) || witness.erased) return null;
  return <History witness={witness} />;
}

function History({ witness }: { witness: Witness }) {
  const { t } = useI18n();
  const loaded = useLoad(useCallback(() => witnessDisclosures(witness.code), [witness.code]));
  // Another organisation's witness: the server says no, and the page shows nothing of it.
  if (isForbidden(loaded.error)) return null;
  const withdrawn = witness.consent?.state === 'withdrawn';
  return (
    <section aria-labelledby="witness-disclosures-heading" className="panel">
      <h2 id="witness-disclosures-heading">{t('witnessDisclosures.title')}</h2>
      <p className="help">{t('witnessDisclosures.intro')}</p>
      {loaded.error ? (
        <LoadError error={loaded.error} />
      ) : !loaded.data ? (
        <Loading />
      ) : (
        <>
          {loaded.data.disclosures.length === 0 ? <p className="muted">{t('witnessDisclosures.none')}</p> : <DisclosureRows items={loaded.data.disclosures} showWitness={false} />}
          {loaded.data.holders.length ? (
            <>
              <h3>{t('witnessDisclosures.holders')}</h3>
              {withdrawn ? (
                <p className="notice notice-error" role="alert">
                  {t('witnessDisclosures.withdrawn')}
                </p>
              ) : null}
              <ul className="holders" data-testid="holders">
                {loaded.data.holders.map((h) => (
                  <li key={h.request} data-request={h.request}>
                    <a href={requestHref(h.request)}>{h.request}</a> — {requesterLabel(t, h.recipient.kind)}
                    {h.recipient.body ? `, ${h.recipient.body}` : ''}
                    {h.recipient.reference ? ` (${h.recipient.reference})` : ''} <RequestStatusBadge status={h.status} />
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}

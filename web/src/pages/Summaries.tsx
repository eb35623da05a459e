// Witness summaries: the list of those the reader may read (filtered by status and witness,
// kept in the URL: #/summaries?status=in-review&witness=W-00123), and a first draft for a
// witness, assembled by the server from their coded passages grouped by the incidents that cite
// them. A witness's page links here with the witness filled in.

import { useCallback, useState, type FormEvent } from 'react';

import { WITNESS_CODE, hasAnyRole, type User } from '../api';
import * as cases from '../cases';
import { CODING_READERS, SUMMARY_STATUSES, SUMMARY_WRITERS, summariesHref, summaryHref, type SummaryStatus } from '../cases';
import {
  DataTable,
  Field,
  LiveNotice,
  Listed,
  NoRightsPage,
  PageHeading,
  SelectField,
  SubmitActions,
  isForbidden,
  useLoad,
  useSubmit,
} from '../components';
import { formatTime } from '../format';
import { useI18n, type Translate } from '../i18n';
import { useHashParams, witnessHref } from '../router';
import '../cases.css';

export function statusLabel(t: Translate, status: string): string {
  switch (status) {
    case 'draft':
      return t('summary.status.draft');
    case 'in-review':
      return t('summary.status.inReview');
    case 'changes-requested':
      return t('summary.status.changesRequested');
    case 'approved':
      return t('summary.status.approved');
    default:
      return status;
  }
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge summary-status status-${status}`} data-status={status}>
      {statusLabel(t, status)}
    </span>
  );
}

export function sensitivityLabel(t: Translate, sensitivity: string): string {
  if (sensitivity === 'health') return t('summary.sensitivity.health');
  if (sensitivity === 'sexual-violence') return t('summary.sensitivity.sexualViolence');
  return t('summary.sensitivity.normal');
}

function isStatus(v: string | null): v is SummaryStatus {
  return v !== null && (SUMMARY_STATUSES as readonly string[]).includes(v);
}

export function SummariesPage({ user }: { user: User }) {
  const { t, lang } = useI18n();
  const params = useHashParams();
  const statusParam = params.get('status');
  const status: SummaryStatus | '' = isStatus(statusParam) ? statusParam : '';
  const witness = params.get('witness') ?? '';
  const listed = useLoad(useCallback(() => cases.listSummaries(status, witness), [status, witness]));
  const [draftStatus, setDraftStatus] = useState<SummaryStatus | ''>(status);
  const [draftWitness, setDraftWitness] = useState(witness);

  if (isForbidden(listed.error)) return <NoRightsPage title={t('summaries.title')} />;

  const filter = (e: FormEvent) => {
    e.preventDefault();
    window.location.hash = summariesHref({ status: draftStatus || undefined, witness: draftWitness.trim() || undefined });
  };

  return (
    <>
      <PageHeading>{t('summaries.title')}</PageHeading>
      <p>{t('summaries.intro')}</p>

      {hasAnyRole(user, SUMMARY_WRITERS) ? <DraftSummary key={witness} witness={witness} /> : null}

      <section aria-labelledby="summaries-list-heading">
        <h2 id="summaries-list-heading">{t('summaries.listHeading')}</h2>
        <form className="filter-form" onSubmit={filter} noValidate aria-label={t('summaries.filters')}>
          <SelectField
            id="summaries-status"
            label={t('summaries.status')}
            options={SUMMARY_STATUSES}
            optionLabel={(s) => statusLabel(t, s)}
            emptyOption={t('summaries.anyStatus')}
            value={draftStatus}
            onChange={(e) => setDraftStatus(e.target.value as SummaryStatus | '')}
          />
          <Field
            id="summaries-witness"
            label={t('summaries.witness')}
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder="W-00123"
            value={draftWitness}
            onChange={(e) => setDraftWitness(e.target.value)}
          />
          <SubmitActions busy={false}>{t('summaries.show')}</SubmitActions>
        </form>
        <Listed
          error={listed.error}
          items={listed.data?.summaries}
          empty={status || witness ? t('summaries.noneMatch') : t('summaries.none')}
        >
          {(items) => (
            <DataTable
              className="summaries-table"
              caption="summaries.listHeading"
              columns={[
                'summaries.colWitness',
                'summaries.status',
                { label: 'summaries.colVersion', className: 'num' },
                'summaries.colAuthor',
                'summaries.colReviewer',
                'summaries.colSensitivity',
                'summaries.colOrganisation',
                'summaries.colChanged',
              ]}
            >
              {items.map((s) => (
                <tr key={s.id} data-summary={s.id} data-status={s.status}>
                  <th scope="row">
                    <a href={summaryHref(s.id)}>{t('summaries.of', { code: s.witness })}</a>
                  </th>
                  <td>
                    <StatusBadge status={s.status} />
                  </td>
                  <td className="num">{s.version}</td>
                  <td>{s.author}</td>
                  <td>{s.reviewer || '—'}</td>
                  <td>{sensitivityLabel(t, s.sensitivity)}</td>
                  <td>{s.organisation}</td>
                  <td>
                    <time dateTime={s.updated_at}>{formatTime(s.updated_at, lang)}</time>
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </Listed>
      </section>
    </>
  );
}

function DraftSummary({ witness }: { witness: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(witness);
  const { busy, notice, showError, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim();
    if (!WITNESS_CODE.test(c)) return showError(t('summaries.codeNeeded'), 'draft-summary-witness');
    await run(async () => {
      const s = await cases.draftSummary(c);
      window.location.hash = summaryHref(s.id);
    });
  };
  return (
    <section aria-labelledby="draft-summary-heading" className="panel">
      <h2 id="draft-summary-heading">{t('summaries.draftHeading')}</h2>
      <p className="help">{t('summaries.draftHelp')}</p>
      {witness ? (
        <p>
          <a href={witnessHref(witness)}>{t('summaries.backToWitness', { code: witness })}</a>
        </p>
      ) : null}
      <LiveNotice notice={notice} />
      <form className="filter-form" onSubmit={submit} noValidate>
        <Field
          id="draft-summary-witness"
          label={t('summaries.witness')}
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="W-00123"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <SubmitActions busy={busy}>{busy ? t('app.loading') : t('summaries.draft')}</SubmitActions>
      </form>
    </section>
  );
}

/** On a witness's page: their summaries, and a first draft for those who write them. */
export function WitnessSummaryLinks({ code, user }: { code: string; user: User }) {
  const { t } = useI18n();
  if (!hasAnyRole(user, CODING_READERS)) return null;
  return (
    <section aria-labelledby="witness-summaries-heading" className="panel">
      <h2 id="witness-summaries-heading">{t('summaries.title')}</h2>
      <p className="actions">
        {hasAnyRole(user, SUMMARY_WRITERS) ? (
          <a className="button-link" href={summariesHref({ witness: code })}>
            {t('summaries.draftForWitness')}
          </a>
        ) : null}
        <a href={summariesHref({ witness: code })}>{t('summaries.ofWitness', { code })}</a>
      </p>
    </section>
  );
}

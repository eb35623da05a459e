import { useState, type FormEvent } from 'react';

import * as api from '../api';
import { GAP_PROBLEMS, type ConsentGaps } from '../api';
import { DataTable, Field, LiveNotice, NoRightsPage, PageHeading, SubmitActions, isForbidden, useSubmit } from '../components';
import { useI18n } from '../i18n';
import { witnessHref } from '../router';
import { ConsentUseFields, useConsentUse } from './Witness';

/** Whom a request may not lawfully include: the witnesses whose consent falls short of a use. */
export function ConsentGapsPage() {
  const { t } = useI18n();
  const use = useConsentUse();
  const [within, setWithin] = useState('30');
  const [result, setResult] = useState<ConsentGaps | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const { busy, notice, showError, fail, run } = useSubmit();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const days = Number(within);
    if (!/^\d{1,4}$/.test(within.trim()) || days > 3650) return showError(t('gaps.withinInvalid'), 'gaps-within');
    await run(
      async () => setResult(await api.consentGaps(use.purpose, use.recipient, days)),
      (err) => (isForbidden(err) ? setForbidden(true) : fail(err)),
    );
  };

  if (forbidden) return <NoRightsPage title={t('gaps.title')} />;

  return (
    <>
      <PageHeading>{t('gaps.title')}</PageHeading>
      <p>{t('gaps.intro')}</p>
      <form className="filter-form" onSubmit={submit} noValidate>
        <ConsentUseFields idPrefix="gaps" use={use} />
        <Field
          id="gaps-within"
          label={t('gaps.within')}
          help={t('gaps.withinHelp')}
          type="text"
          inputMode="numeric"
          value={within}
          onChange={(e) => setWithin(e.target.value)}
        />
        <SubmitActions busy={busy}>{t('gaps.show')}</SubmitActions>
      </form>
      <LiveNotice notice={notice} />
      <div role="status" aria-live="polite" className="muted">
        {result ? t('gaps.count', { n: result.gaps.length, today: result.today }) : null}
      </div>
      {result && result.gaps.length > 0 ? (
        <DataTable
          className="gaps-table"
          caption="gaps.caption"
          columns={['witnesses.colCode', 'witnesses.colOrganisation', 'gaps.problem', 'gaps.reason']}
        >
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
        </DataTable>
      ) : null}
    </>
  );
}

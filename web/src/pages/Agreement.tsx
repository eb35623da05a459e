// Inter-coder agreement over the texts that two or more coders coded: per code, Cohen's kappa of
// each pair of coders with its table, their mean, Krippendorff's alpha and how much the coders'
// spans overlap; a value that cannot be computed says why. Disagreements are shown with the text
// of their unit (a sentence), read from the coding workspace only when asked for (each read is
// logged), and cut in code points as the API counts them.

import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';

import * as api from '../api';
import { type AgreementReport, type CodeAgreement, type CoderPairAgreement, type Disagreement, type FrameworkCode } from '../api';
import { codeLabel } from '../coding';
import { slicePoints } from '../codepoints';
import { DataTable, Field, LoadError, Loading, NoRightsPage, PageHeading, isForbidden, useLoad } from '../components';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';
import { codingHref, useHashParams } from '../router';

function agreementHref(coders: string[]): string {
  return coders.length > 0 ? `#/agreement?coders=${encodeURIComponent(coders.join(','))}` : '#/agreement';
}

function parseCoders(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function AgreementPage() {
  const { t } = useI18n();
  const params = useHashParams();
  const codersParam = params.get('coders') ?? '';
  const coders = useMemo(() => parseCoders(codersParam), [codersParam]);
  const [draft, setDraft] = useState(coders.join(', '));
  useEffect(() => setDraft(coders.join(', ')), [coders]);

  const report = useLoad(useCallback(() => api.agreement(coders), [coders]));
  const framework = useLoad(useCallback(() => api.getFramework(), []));
  if (isForbidden(report.error)) return <NoRightsPage title={t('agreement.title')} />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const href = agreementHref(parseCoders(draft));
    if (window.location.hash === href) void report.reload();
    else window.location.hash = href;
  };

  const codes = new Map((framework.data?.framework.codes ?? []).map((c) => [c.id, c]));
  return (
    <>
      <PageHeading>{t('agreement.title')}</PageHeading>
      <p>{t('agreement.intro')}</p>
      <form className="filter-form" onSubmit={submit} noValidate>
        <Field
          id="agreement-coders"
          label={t('agreement.coders')}
          help={t('agreement.codersHelp')}
          type="text"
          value={draft}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
        />
        <div className="actions">
          <button type="submit">{t('agreement.show')}</button>
        </div>
      </form>
      <Explanation />
      {report.error ? <LoadError error={report.error} /> : report.data === null ? <Loading /> : <Report report={report.data} codes={codes} />}
    </>
  );
}

function Explanation() {
  const { t } = useI18n();
  return (
    <details className="query-syntax agreement-help">
      <summary>{t('agreement.howToRead')}</summary>
      <dl>
        <div>
          <dt>{t('agreement.kappa')}</dt>
          <dd>{t('agreement.kappaHelp')}</dd>
        </div>
        <div>
          <dt>{t('agreement.alpha')}</dt>
          <dd>{t('agreement.alphaHelp')}</dd>
        </div>
        <div>
          <dt>{t('agreement.overlap')}</dt>
          <dd>{t('agreement.overlapHelp')}</dd>
        </div>
        <div>
          <dt>{t('agreement.undefined')}</dt>
          <dd>{t('agreement.undefinedHelp')}</dd>
        </div>
      </dl>
    </details>
  );
}

/** A measure, or "undefined" with the server's reason. */
function Measure({ value, reason, testId }: { value: number | null; reason?: string; testId?: string }) {
  const { t, lang } = useI18n();
  if (value !== null) {
    return (
      <span data-testid={testId} data-value={value}>
        {formatNumber(Math.round(value * 1000) / 1000, lang)}
      </span>
    );
  }
  return (
    <span className="measure-undefined" data-testid={testId} data-value="undefined">
      {t('agreement.undefinedValue')}
      {reason ? <span className="help"> — {reason}</span> : null}
    </span>
  );
}

function Report({ report, codes }: { report: AgreementReport; codes: Map<string, FrameworkCode> }) {
  const { t, lang } = useI18n();
  if (report.coders.length < 2 || report.codes.length === 0) {
    return (
      <section aria-labelledby="agreement-summary-heading">
        <h2 id="agreement-summary-heading">{t('agreement.summary')}</h2>
        <p data-testid="agreement-none">{t('agreement.none')}</p>
      </section>
    );
  }
  return (
    <>
      <section aria-labelledby="agreement-summary-heading">
        <h2 id="agreement-summary-heading">{t('agreement.summary')}</h2>
        <dl className="facts" data-testid="agreement-summary">
          <div>
            <dt>{t('agreement.codersShown')}</dt>
            <dd data-testid="agreement-coders">{report.coders.join(', ')}</dd>
          </div>
          <div>
            <dt>{t('agreement.units')}</dt>
            <dd>{t('agreement.unitsValue', { units: formatNumber(report.units, lang), pairable: formatNumber(report.pairable_units, lang) })}</dd>
          </div>
          <div>
            <dt>{t('agreement.overallAlpha')}</dt>
            <dd>
              <Measure value={report.overall_alpha} testId="overall-alpha" />
            </dd>
          </div>
        </dl>
      </section>
      {report.codes.map((c) => (
        <CodeSection key={c.code} agreement={c} code={codes.get(c.code)} />
      ))}
    </>
  );
}

function CodeSection({ agreement: a, code }: { agreement: CodeAgreement; code: FrameworkCode | undefined }) {
  const { t, lang } = useI18n();
  const headingId = `agreement-code-${a.code.replace(/[^a-z0-9-]/gi, '_')}`;
  const [showDisagreements, setShowDisagreements] = useState(false);
  return (
    <section className="panel agreement-code" aria-labelledby={headingId} data-code={a.code}>
      <h2 id={headingId}>
        {code ? codeLabel(code, lang) : a.code} <code className="code-id">{a.code}</code>
      </h2>
      <DataTable
        className="agreement-table"
        columns={[
          'agreement.coderA',
          'agreement.coderB',
          { label: 'agreement.kappa', className: 'num' },
          { label: 'agreement.observed', className: 'num' },
          { label: 'agreement.chance', className: 'num' },
          { label: 'agreement.both', className: 'num' },
          { label: 'agreement.onlyA', className: 'num' },
          { label: 'agreement.onlyB', className: 'num' },
          { label: 'agreement.neither', className: 'num' },
          { label: 'agreement.overlap', className: 'num' },
        ]}
      >
        {a.pairs.map((p) => (
          <PairRow key={`${p.coder_a}|${p.coder_b}`} pair={p} />
        ))}
      </DataTable>
      <dl className="facts">
        <div>
          <dt>{t('agreement.meanKappa')}</dt>
          <dd>
            <Measure value={a.mean_kappa} testId="mean-kappa" />
          </dd>
        </div>
        <div>
          <dt>{t('agreement.alpha')}</dt>
          <dd>
            <Measure value={a.alpha} reason={a.alpha_undefined} testId="alpha" />
          </dd>
        </div>
      </dl>
      {a.disagreements.length === 0 ? (
        <p className="muted">{t('agreement.noDisagreements')}</p>
      ) : showDisagreements ? (
        <Disagreements list={a.disagreements} />
      ) : (
        <div className="actions">
          <button type="button" className="button-secondary" onClick={() => setShowDisagreements(true)}>
            {t('agreement.showDisagreements', { n: a.disagreements.length })}
          </button>
        </div>
      )}
    </section>
  );
}

function PairRow({ pair: p }: { pair: CoderPairAgreement }) {
  const { lang } = useI18n();
  const n = (v: number) => formatNumber(Math.round(v * 1000) / 1000, lang);
  return (
    <tr data-pair={`${p.coder_a}|${p.coder_b}`}>
      <td>{p.coder_a}</td>
      <td>{p.coder_b}</td>
      <td className="num">
        <Measure value={p.kappa} reason={p.kappa_undefined} testId="kappa" />
      </td>
      <td className="num">{n(p.observed)}</td>
      <td className="num">{n(p.chance)}</td>
      <td className="num">{p.table.both}</td>
      <td className="num">{p.table.only_a}</td>
      <td className="num">{p.table.only_b}</td>
      <td className="num">{p.table.neither}</td>
      <td className="num">
        <Measure value={p.overlap} />
      </td>
    </tr>
  );
}

/** The disagreements with their units' text, each text read once (and logged) when shown. */
function Disagreements({ list }: { list: Disagreement[] }) {
  const { t } = useI18n();
  const [texts, setTexts] = useState<Map<string, string | null | Error>>(new Map());
  useEffect(() => {
    let cancelled = false;
    const ids = [...new Set(list.map((d) => d.object_id))];
    (async () => {
      for (const id of ids) {
        let value: string | null | Error;
        try {
          value = (await api.getCodingObject(id)).text;
        } catch (e) {
          value = e instanceof Error ? e : new Error(String(e));
        }
        if (cancelled) return;
        setTexts((prev) => new Map(prev).set(id, value));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [list]);

  const unitText = (d: Disagreement): ReactNode => {
    const text = texts.get(d.object_id);
    if (text === undefined) return <Loading />;
    if (text instanceof Error) return <LoadError error={text} />;
    if (text === null) return <span className="muted">{t('agreement.noText')}</span>;
    return <blockquote className="coding-passage">{slicePoints(text, d.begin, d.end)}</blockquote>;
  };

  return (
    <DataTable className="disagreements-table" columns={['agreement.unitText', 'agreement.applied', 'agreement.notApplied']}>
      {list.map((d) => (
        <tr key={`${d.object_id}:${d.unit}`} data-unit={d.unit}>
          <td>
            {unitText(d)}
            <a className="help" href={codingHref(d.object_id)}>
              {t('agreement.openText')}
            </a>
          </td>
          <td data-testid="applied">{d.applied.join(', ')}</td>
          <td data-testid="not-applied">{d.not_applied.join(', ')}</td>
        </tr>
      ))}
    </DataTable>
  );
}

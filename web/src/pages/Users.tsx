import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';

import * as api from '../api';
import { ApiError, ROLES, type Grant, type Organisation, type Role, type User } from '../api';
import {
  CheckboxGroup,
  DataTable,
  Field,
  LiveNotice,
  LoadError,
  Loading,
  PageHeading,
  SelectField,
  SubmitActions,
  describeError,
  useSubmit,
  type NoticeState,
} from '../components';
import { useI18n, type Translate } from '../i18n';

const USERNAME = /^[a-z0-9._-]+$/;
const MIN_PASSWORD = 12;

function roleLabel(t: Translate, role: string): string {
  return (ROLES as readonly string[]).includes(role) ? t(`role.${role as Role}`) : role;
}

/** Grants grouped by organisation, in the order they come. */
function byOrganisation(grants: Grant[]): [string, Grant[]][] {
  const groups = new Map<string, Grant[]>();
  for (const g of grants) {
    const list = groups.get(g.organisation) ?? [];
    list.push(g);
    groups.set(g.organisation, list);
  }
  return [...groups.entries()];
}

export function UsersPage() {
  const { t } = useI18n();
  const [users, setUsers] = useState<User[] | null>(null);
  const [organisations, setOrganisations] = useState<Organisation[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<NoticeState | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const u = await api.listUsers();
      setUsers(u.users);
      setError(null);
    } catch (e) {
      setError(e);
      return;
    }
    try {
      const o = await api.listOrganisations();
      setOrganisations(o.organisations);
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, [load]);

  const replaceUser = (u: User) => setUsers((prev) => (prev ?? []).map((x) => (x.username === u.username ? u : x)));

  // Runs a change; the answer is the updated user.
  const change = async (key: string, action: () => Promise<User>, success: (u: User) => string) => {
    setBusy(key);
    setNotice(null);
    try {
      const u = await action();
      if (u && typeof u === 'object' && 'username' in u) replaceUser(u);
      else await load();
      setNotice({ kind: 'success', text: success(u) });
    } catch (e) {
      setNotice({ kind: 'error', text: describeError(e, t) });
    } finally {
      setBusy(null);
    }
  };

  if (error) {
    return (
      <>
        <PageHeading>{t('users.title')}</PageHeading>
        <LoadError error={error} />
      </>
    );
  }

  return (
    <>
      <PageHeading>{t('users.title')}</PageHeading>
      <p>{t('users.intro')}</p>
      <LiveNotice notice={notice} />
      {users === null ? (
        <Loading />
      ) : users.length === 0 ? (
        <p>{t('users.none')}</p>
      ) : (
        <DataTable
          className="users-table"
          caption="users.caption"
          columns={[
            'users.colUsername',
            'users.colHome',
            'users.colRoles',
            'users.colStatus',
            'users.colTotp',
            'users.colActions',
          ]}
        >
          {users.map((u) => (
            <tr key={u.username} data-username={u.username}>
              <th scope="row">{u.username}</th>
              <td>{u.organisation}</td>
              <td>
                {u.roles.length === 0 ? (
                  <span className="muted">{t('users.noRoles')}</span>
                ) : (
                  <dl className="grants">
                    {byOrganisation(u.roles).map(([org, grants]) => (
                      <div key={org} className="grant-group">
                        <dt>{org}</dt>
                        {grants.map((g) => (
                          <dd key={g.role} className="grant">
                            <span>{roleLabel(t, g.role)}</span>
                            <button
                              type="button"
                              className="button-small button-danger"
                              disabled={busy !== null}
                              aria-label={t('users.revokeLabel', {
                                role: roleLabel(t, g.role),
                                org,
                                user: u.username,
                              })}
                              onClick={() =>
                                change(`revoke:${u.username}`, () => api.revokeRole(u.username, org, g.role), () =>
                                  t('users.revoked', { user: u.username, role: roleLabel(t, g.role), org }),
                                )
                              }
                            >
                              {t('users.revoke')}
                            </button>
                          </dd>
                        ))}
                          </div>
                        ))}
                      </dl>
                    )}
                  </td>
                  <td>
                    {u.disabled ? (
                      <span className="badge badge-off">{t('users.disabled')}</span>
                    ) : (
                      <span className="badge badge-on">{t('users.active')}</span>
                    )}
                  </td>
                  <td>{u.totp === undefined ? '—' : u.totp ? t('users.on') : t('users.off')}</td>
                  <td>
                    <div className="user-actions">
                      <button
                        type="button"
                        className={u.disabled ? 'button-secondary' : 'button-secondary button-danger'}
                        disabled={busy !== null}
                        aria-label={t(u.disabled ? 'users.enableLabel' : 'users.disableLabel', { user: u.username })}
                        onClick={() =>
                          change(`disable:${u.username}`, () => api.setDisabled(u.username, !u.disabled), () =>
                            t(u.disabled ? 'users.nowEnabled' : 'users.nowDisabled', { user: u.username }),
                          )
                        }
                      >
                        {u.disabled ? t('users.enable') : t('users.disable')}
                      </button>
                      <GrantForm
                        user={u}
                        organisations={organisations}
                        disabled={busy !== null}
                        onGrant={(org, role) =>
                          change(`grant:${u.username}`, () => api.grantRole(u.username, org, role), () =>
                            t('users.granted', { user: u.username, role: roleLabel(t, role), org }),
                          )
                        }
                      />
                    </div>
                  </td>
                </tr>
              ))}
        </DataTable>
      )}
      <AddUserForm
        organisations={organisations}
        onAdded={(u) => {
          setUsers((prev) => [...(prev ?? []).filter((x) => x.username !== u.username), u]);
          setNotice({ kind: 'success', text: t('users.added', { user: u.username }) });
        }}
      />
    </>
  );
}

function GrantForm({
  user,
  organisations,
  disabled,
  onGrant,
}: {
  user: User;
  organisations: Organisation[];
  disabled: boolean;
  onGrant: (organisation: string, role: Role) => Promise<void>;
}) {
  const { t } = useI18n();
  const id = useId();
  const [org, setOrg] = useState(user.organisation);
  const [role, setRole] = useState<Role | ''>('');
  const orgNames = organisations.length > 0 ? organisations.map((o) => o.name) : [user.organisation];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!org || !role) return;
    await onGrant(org, role);
    setRole('');
  };

  return (
    <details className="grant-details">
      <summary>{t('users.grantSummary')}</summary>
      <form onSubmit={submit} className="grant-form">
        <fieldset>
          <legend>{t('users.grantLegend', { user: user.username })}</legend>
          <SelectField
            id={`${id}-org`}
            label={t('objects.organisation')}
            emptyOption={t('users.chooseOrganisation')}
            options={orgNames}
            required
            value={org}
            onChange={(e) => setOrg(e.target.value)}
          />
          <SelectField
            id={`${id}-role`}
            label={t('users.role')}
            emptyOption={t('users.chooseRole')}
            options={ROLES}
            optionLabel={(r) => t(`role.${r}`)}
            required
            value={role}
            onChange={(e) => setRole(e.target.value as Role | '')}
          />
          <button type="submit" disabled={disabled}>
            {t('users.grant')}
          </button>
        </fieldset>
      </form>
    </details>
  );
}

function AddUserForm({ organisations, onAdded }: { organisations: Organisation[]; onAdded: (u: User) => void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const { busy, notice, showError, fail, run } = useSubmit();

  useEffect(() => {
    if (!organisation && organisations.length === 1) setOrganisation(organisations[0].name);
  }, [organisations, organisation]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = username.trim();
    if (!USERNAME.test(name)) return showError(t('users.usernameInvalid'), 'add-username');
    if (password.length < MIN_PASSWORD) return showError(t('users.passwordShort'), 'add-password');
    if (!organisation) return showError(t('users.chooseOrganisation'), 'add-org');
    await run(
      async () => {
        const u = await api.addUser(name, organisation, password, ROLES.filter((r) => roles.includes(r)));
        setUsername('');
        setPassword('');
        setRoles([]);
        onAdded(u);
      },
      (err) => (err instanceof ApiError && err.status === 409 ? showError(t('users.exists')) : fail(err)),
    );
  };

  return (
    <section aria-labelledby="add-user-heading" className="panel">
      <h2 id="add-user-heading">{t('users.addHeading')}</h2>
      <LiveNotice notice={notice} />
      {/* Our own checks, with messages in the live region, rather than the browser's bubbles. */}
      <form onSubmit={submit} className="form-grid" noValidate>
        <Field
          id="add-username"
          label={t('users.username')}
          help={t('users.usernameHelp')}
          type="text"
          required
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          pattern="[a-z0-9._\-]+"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <SelectField
          id="add-org"
          label={t('users.home')}
          emptyOption={t('users.chooseOrganisation')}
          options={organisations.map((o) => o.name)}
          required
          value={organisation}
          onChange={(e) => setOrganisation(e.target.value)}
        />
        <Field
          id="add-password"
          label={t('users.password')}
          help={t('users.passwordHelp')}
          type="password"
          required
          minLength={MIN_PASSWORD}
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <CheckboxGroup
          legend={t('users.roles')}
          className="field roles-fieldset"
          idPrefix="add-role-"
          options={ROLES}
          checked={roles}
          optionLabel={(r) => t(`role.${r}`)}
          onChange={setRoles}
        />
        <SubmitActions busy={busy}>{t('users.add')}</SubmitActions>
      </form>
    </section>
  );
}

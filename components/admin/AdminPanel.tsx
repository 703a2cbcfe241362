'use client';
import { useTranslations } from 'next-intl';
import { useState, type FormEvent } from 'react';
import type { AdminPersonView, GroupView, PeoplePage } from '@/common/admin';
import { useApiRequest } from '../useApiRequest';
import { FormFeedback } from '../FormError';

/** The administration page: people (status, organisation, administrator flag), adding a person, and groups. */
export function AdminPanel({
  table,
  query,
  people,
  organisations,
  groups,
  meId,
}: {
  /** The page of the people table shown (`/admin?q=&page=`). */
  table: PeoplePage;
  query: string;
  /** Everyone, for the group forms' choices. */
  people: AdminPersonView[];
  organisations: string[];
  groups: GroupView[];
  meId: string;
}) {
  const t = useTranslations('admin');
  const { error, busy, send } = useApiRequest();
  const [notice, setNotice] = useState('');
  const person = (id: string, change: Record<string, unknown>) => send(`/api/admin/people/${id}`, 'PATCH', change);

  async function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const organisation = String(form.get('organisation') ?? '').trim();
    const added = await send<{ person: { name: string } }>('/api/admin/people', 'POST', {
      email: form.get('email'),
      name: form.get('name'),
      password: form.get('password'),
      ...(organisation ? { organisation } : {}),
      isAdmin: form.get('isAdmin') === 'on',
    });
    if (added) {
      setNotice(t('add.added', { name: added.person.name }));
      formEl.reset();
    }
  }

  async function onOrganisation(e: FormEvent<HTMLFormElement>, id: string) {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get('organisation') ?? '').trim();
    await person(id, { organisation: value || null });
  }

  async function onCreateGroup(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const name = String(form.get('name') ?? '');
    const created = await send('/api/admin/groups', 'POST', { name, memberIds: form.getAll('memberIds') });
    if (created) {
      setNotice(t('groups.created', { name }));
      formEl.reset();
    }
  }

  async function onSaveGroup(e: FormEvent<HTMLFormElement>, id: string) {
    e.preventDefault();
    const saved = await send(`/api/admin/groups/${id}`, 'PATCH', {
      memberIds: new FormData(e.currentTarget).getAll('memberIds'),
    });
    if (saved) setNotice(t('groups.saved'));
  }

  const activePeople = people.filter((p) => p.active);
  return (
    <>
      <FormFeedback notice={notice} error={error} />
      <section className="card" aria-labelledby="admin-people">
        <h2 id="admin-people">{t('people.heading')}</h2>
        <datalist id="admin-organisations">
          {organisations.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
        <form className="inline-form" method="get" action="/admin" role="search" aria-label={t('people.search')}>
          <label>
            {t('people.searchLabel')}
            <input name="q" type="search" defaultValue={query} maxLength={200} />
          </label>
          <button type="submit">{t('people.searchSubmit')}</button>
        </form>
        <p className="muted" role="status">
          {t('people.shown', {
            from: table.total ? (table.page - 1) * table.pageSize + 1 : 0,
            to: (table.page - 1) * table.pageSize + table.people.length,
            total: table.total,
          })}
        </p>
        <div className="table-scroll">
          <table className="documents admin-people">
            <thead>
              <tr>
                <th>{t('people.name')}</th>
                <th>{t('people.organisation')}</th>
                <th>{t('people.status')}</th>
                <th>{t('people.admin')}</th>
                <th>{t('people.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {table.people.map((p) => (
                <tr key={p.id} data-person={p.email}>
                  <td>
                    <strong>{p.name}</strong> {p.id === meId ? t('people.you') : ''}
                    <div className="muted">{p.email}</div>
                  </td>
                  <td>
                    <form className="inline-form" onSubmit={(e) => void onOrganisation(e, p.id)}>
                      <input
                        name="organisation"
                        list="admin-organisations"
                        defaultValue={p.organisation ?? ''}
                        maxLength={200}
                        aria-label={t('people.organisationOf', { name: p.name })}
                      />
                      <button type="submit" className="link-button" disabled={busy}>
                        {t('people.saveOrganisation')}
                      </button>
                    </form>
                  </td>
                  <td>{p.active ? t('people.active') : t('people.inactive')}</td>
                  <td>{p.isAdmin ? t('people.yes') : t('people.no')}</td>
                  <td>
                    {p.id !== meId && (
                      <div className="member-actions">
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy}
                          onClick={() => void person(p.id, { active: !p.active })}
                        >
                          {p.active ? t('people.deactivate') : t('people.reactivate')}
                        </button>
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy}
                          onClick={() => void person(p.id, { isAdmin: !p.isAdmin })}
                        >
                          {p.isAdmin ? t('people.revokeAdmin') : t('people.makeAdmin')}
                        </button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager table={table} query={query} />
      </section>

      <form className="card form" onSubmit={(e) => void onAdd(e)} aria-labelledby="admin-add">
        <h2 id="admin-add">{t('add.heading')}</h2>
        <label>
          {t('add.name')}
          <input name="name" required maxLength={200} />
        </label>
        <label>
          {t('add.email')}
          <input name="email" type="email" required maxLength={254} />
        </label>
        <label>
          {t('add.password')}
          <input name="password" type="password" required minLength={12} maxLength={1024} autoComplete="new-password" />
        </label>
        <label>
          {t('add.organisation')}
          <input name="organisation" list="admin-organisations" maxLength={200} />
        </label>
        <label className="checkbox">
          <input name="isAdmin" type="checkbox" /> {t('add.isAdmin')}
        </label>
        <button type="submit" disabled={busy}>
          {t('add.submit')}
        </button>
      </form>

      <section className="card" aria-labelledby="admin-groups">
        <h2 id="admin-groups">{t('groups.heading')}</h2>
        <p className="muted">{t('groups.intro')}</p>
        {groups.length === 0 && <p>{t('groups.none')}</p>}
        {groups.map((g) => (
          <form
            key={g.id}
            className="form admin-group"
            data-group={g.name}
            onSubmit={(e) => void onSaveGroup(e, g.id)}
            aria-label={g.name}
          >
            <fieldset>
              <legend>
                {g.name} · {t('groups.memberCount', { count: g.members.length })}
              </legend>
              <PeopleChoice people={activePeople} checked={new Set(g.members.map((m) => m.id))} />
            </fieldset>
            <div className="member-actions">
              <button type="submit" disabled={busy}>
                {t('groups.save')}
              </button>
              <button
                type="button"
                className="link-button danger"
                disabled={busy}
                onClick={() => void send(`/api/admin/groups/${g.id}`, 'DELETE')}
              >
                {t('groups.delete')}
              </button>
            </div>
          </form>
        ))}
        <form className="form" onSubmit={(e) => void onCreateGroup(e)} aria-label={t('groups.create')}>
          <label>
            {t('groups.name')}
            <input name="name" required maxLength={200} />
          </label>
          <fieldset>
            <legend>{t('groups.members')}</legend>
            <PeopleChoice people={activePeople} checked={new Set()} />
          </fieldset>
          <button type="submit" disabled={busy}>
            {t('groups.create')}
          </button>
        </form>
      </section>
    </>
  );
}

/** A checkbox per person (name and organisation), submitted as `memberIds`. */
function PeopleChoice({ people, checked }: { people: AdminPersonView[]; checked: Set<string> }) {
  return (
    <ul className="people-choice">
      {people.map((p) => (
        <li key={p.id}>
          <label className="checkbox">
            <input type="checkbox" name="memberIds" value={p.id} defaultChecked={checked.has(p.id)} /> {p.name}
            {p.organisation ? ` · ${p.organisation}` : ''}
          </label>
        </li>
      ))}
    </ul>
  );
}

/** Previous and next page links of the people table (plain links: the page is rendered on the server). */
function Pager({ table, query }: { table: PeoplePage; query: string }) {
  const t = useTranslations('admin.people');
  const pages = Math.max(1, Math.ceil(table.total / table.pageSize));
  if (pages === 1) return null;
  const href = (page: number) =>
    `/admin?${new URLSearchParams({ ...(query ? { q: query } : {}), page: String(page), pageSize: String(table.pageSize) })}`;
  return (
    <nav className="pager" aria-label={t('pages')}>
      {table.page > 1 && <a href={href(table.page - 1)}>{t('previous')}</a>}{' '}
      <span>{t('pageOf', { page: table.page, pages })}</span>{' '}
      {table.page < pages && <a href={href(table.page + 1)}>{t('next')}</a>}
    </nav>
  );
}

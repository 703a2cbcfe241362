'use client';
import { useTranslations } from 'next-intl';
import { useEffect, useState, type FormEvent } from 'react';
import type { GroupAddResult, GroupSummary } from '@/common/admin';
import { useApiRequest } from './useApiRequest';
import { FormFeedback } from './FormError';
import { RoleSelect } from './RoleSelect';

/**
 * "Add group" in the members panel: every person of an administrator's group becomes a member with one role, in
 * one step; the server skips people who are already members, and the chair rules apply per person.
 */
export function AddGroupControl({ documentId }: { documentId: string }) {
  const t = useTranslations('admin.addGroup');
  const [groups, setGroups] = useState<GroupSummary[] | undefined>();
  const [result, setResult] = useState('');
  const { error, busy, send } = useApiRequest();

  useEffect(() => {
    let live = true;
    fetch('/api/groups')
      .then(async (res) => (res.ok ? ((await res.json()) as { groups: GroupSummary[] }).groups : []))
      .then((list) => live && setGroups(list))
      .catch(() => live && setGroups([]));
    return () => {
      live = false;
    };
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setResult('');
    const res = await send<GroupAddResult>(`/api/documents/${documentId}/groups`, 'POST', {
      groupId: form.get('groupId'),
      role: form.get('role'),
    });
    if (res) setResult(t('result', { added: res.added.length, skipped: res.skipped.length }));
  }

  if (!groups?.length) return null;
  return (
    <form className="form" onSubmit={(e) => void onSubmit(e)} aria-label={t('legend')}>
      <label>
        {t('group')}
        <select name="groupId" required defaultValue="">
          <option value="" disabled>
            {t('choose')}
          </option>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name} ({g.memberCount})
            </option>
          ))}
        </select>
      </label>
      <RoleSelect label={t('role')} />
      <button type="submit" disabled={busy}>
        {t('submit')}
      </button>
      <FormFeedback notice={result} error={error} />
    </form>
  );
}

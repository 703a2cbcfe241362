'use client';
import { useTranslations } from 'next-intl';
import { memberRoles } from '@/common/policy';

/** The role to give, in the invite and add-group forms: submitted as `role`, commenter unless chosen otherwise. */
export function RoleSelect({ label }: { label: string }) {
  const tRole = useTranslations('role');
  return (
    <label>
      {label}
      <select name="role" defaultValue="commenter">
        {memberRoles.map((r) => (
          <option key={r} value={r}>
            {tRole(r)}
          </option>
        ))}
      </select>
    </label>
  );
}

'use client';
import { useTranslations } from 'next-intl';

/** The editor's switch between editing the text and proposing changes to it (two pressed-state buttons). */
export function ModeToggle({ suggesting, onChange }: { suggesting: boolean; onChange: (suggesting: boolean) => void }) {
  const t = useTranslations('suggestions');
  return (
    <span className="mode-toggle" role="group" aria-label={t('mode.label')}>
      {([false, true] as const).map((value) => (
        <button
          key={String(value)}
          type="button"
          aria-pressed={suggesting === value}
          className={suggesting === value ? 'active' : ''}
          title={value ? t('mode.suggestHint') : t('mode.editHint')}
          onMouseDown={(e) => e.preventDefault() /* keep the caret in the document */}
          onClick={() => onChange(value)}
        >
          {value ? t('mode.suggest') : t('mode.edit')}
        </button>
      ))}
    </span>
  );
}

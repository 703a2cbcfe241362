'use client';
import { useEditorState, type Editor } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { Messages } from '@/common/i18n';
import { isAllowedHref } from '@/common/schema/extensions';

/**
 * The toolbar; every button is a Tiptap command, so the same rules apply as when typing. While suggesting,
 * formatting is off (suggestions are text only; the suggestion-mode filter would refuse it anyway): only undo and
 * redo, which work on one's own changes, stay. `children` (the Bewerken/Voorstellen switch) come first, in the same
 * roving set as the toolbar's own buttons.
 */
export function Toolbar({
  editor,
  suggesting = false,
  children,
}: {
  editor: Editor;
  suggesting?: boolean;
  children?: ReactNode;
}) {
  const t = useTranslations('toolbar');
  const bar = useRef<HTMLDivElement>(null);
  // Re-render only when what the buttons show changes, not on every keystroke.
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h1: e.isActive('heading', { level: 1 }),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      bulletList: e.isActive('bulletList'),
      orderedList: e.isActive('orderedList'),
      link: e.isActive('link'),
    }),
  });
  const chain = () => editor.chain().focus();
  const setLink = () => {
    const previous = (editor.getAttributes('link').href as string | undefined) ?? '';
    const href = window.prompt(t('linkPrompt'), previous);
    if (href === null) return;
    if (href.trim() === '') return void chain().unsetLink().run();
    if (!isAllowedHref(href.trim())) {
      window.alert(t('linkRefused'));
      return;
    }
    chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };
  type Key = keyof Messages['toolbar']['hint'];
  const buttons: { key: Key; run: () => unknown; active?: boolean }[] = [
    { key: 'undo', run: () => chain().undo().run() },
    { key: 'redo', run: () => chain().redo().run() },
    { key: 'h1', run: () => chain().toggleHeading({ level: 1 }).run(), active: active.h1 },
    { key: 'h2', run: () => chain().toggleHeading({ level: 2 }).run(), active: active.h2 },
    { key: 'h3', run: () => chain().toggleHeading({ level: 3 }).run(), active: active.h3 },
    { key: 'bold', run: () => chain().toggleBold().run(), active: active.bold },
    { key: 'italic', run: () => chain().toggleItalic().run(), active: active.italic },
    { key: 'bulletList', run: () => chain().toggleBulletList().run(), active: active.bulletList },
    { key: 'orderedList', run: () => chain().toggleOrderedList().run(), active: active.orderedList },
    { key: 'link', run: setLink, active: active.link },
    { key: 'table', run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run() },
    { key: 'addRow', run: () => chain().addRowAfter().run() },
    { key: 'addColumn', run: () => chain().addColumnAfter().run() },
    { key: 'deleteTable', run: () => chain().deleteTable().run() },
  ];
  // One Tab stop for the whole toolbar (roving tabindex): arrows, Home and End move between its enabled buttons,
  // its own and those passed in as children (the mode switch), which is why the set is read from the DOM.
  const current = useRef<HTMLButtonElement | null>(null);
  const enabled = () => Array.from(bar.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? []);
  function rove(to: HTMLButtonElement | null) {
    const set = enabled();
    // The button that had the Tab stop keeps it while it is there and enabled; otherwise the first one takes it.
    const stop = to && set.includes(to) ? to : (set[0] ?? null);
    for (const b of bar.current?.querySelectorAll('button') ?? []) b.tabIndex = b === stop ? 0 : -1;
    current.current = stop;
  }
  // After every render: buttons come and go (the switch), and suggesting disables the formatting buttons.
  useLayoutEffect(() => rove(current.current));
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const set = enabled();
    const at = set.indexOf(e.target as HTMLButtonElement);
    if (at < 0) return;
    const last = set.length - 1;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? at === last
          ? 0
          : at + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? at === 0
            ? last
            : at - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    set[next]!.focus();
  }
  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label={t('label')}
      aria-controls="document-text"
      ref={bar}
      onKeyDown={onKeyDown}
      onFocus={(e) => e.target instanceof HTMLButtonElement && rove(e.target)}
    >
      {children}
      {buttons.map((b) => (
        <button
          key={b.key}
          type="button"
          title={t(`hint.${b.key}`)}
          aria-pressed={b.active ?? undefined}
          className={b.active ? 'active' : ''}
          disabled={suggesting && b.key !== 'undo' && b.key !== 'redo'}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          {t(b.key)}
        </button>
      ))}
    </div>
  );
}

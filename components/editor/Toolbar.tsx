'use client';
import { useEditorState, type Editor } from '@tiptap/react';
import { useRef, useState, type KeyboardEvent } from 'react';
import { isAllowedHref } from '@/common/schema/extensions';

/** The Dutch toolbar; every button is a Tiptap command, so the same rules apply as when typing. */
export function Toolbar({ editor }: { editor: Editor }) {
  // One Tab stop for the whole toolbar (roving tabindex): arrows, Home and End move between the buttons.
  const [current, setCurrent] = useState(0);
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
    const href = window.prompt('Link (https://… of mailto:…)', previous);
    if (href === null) return;
    if (href.trim() === '') return void chain().unsetLink().run();
    if (!isAllowedHref(href.trim())) {
      window.alert('Alleen http(s)- en mailto-links zijn toegestaan. (Only http(s) and mailto links are allowed.)');
      return;
    }
    chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };
  const buttons: { label: string; title: string; run: () => unknown; active?: boolean }[] = [
    { label: 'Ongedaan maken', title: 'Undo (Ctrl+Z)', run: () => chain().undo().run() },
    { label: 'Opnieuw', title: 'Redo (Ctrl+Shift+Z)', run: () => chain().redo().run() },
    { label: 'Kop 1', title: 'Heading 1', run: () => chain().toggleHeading({ level: 1 }).run(), active: active.h1 },
    { label: 'Kop 2', title: 'Heading 2', run: () => chain().toggleHeading({ level: 2 }).run(), active: active.h2 },
    { label: 'Kop 3', title: 'Heading 3', run: () => chain().toggleHeading({ level: 3 }).run(), active: active.h3 },
    { label: 'Vet', title: 'Bold (Ctrl+B)', run: () => chain().toggleBold().run(), active: active.bold },
    { label: 'Cursief', title: 'Italic (Ctrl+I)', run: () => chain().toggleItalic().run(), active: active.italic },
    {
      label: 'Opsomming',
      title: 'Bullet list',
      run: () => chain().toggleBulletList().run(),
      active: active.bulletList,
    },
    {
      label: 'Genummerd',
      title: 'Numbered list',
      run: () => chain().toggleOrderedList().run(),
      active: active.orderedList,
    },
    { label: 'Link', title: 'Link', run: setLink, active: active.link },
    {
      label: 'Tabel',
      title: 'Insert table',
      run: () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    },
    { label: '+ Rij', title: 'Add row', run: () => chain().addRowAfter().run() },
    { label: '+ Kolom', title: 'Add column', run: () => chain().addColumnAfter().run() },
    { label: 'Tabel weg', title: 'Delete table', run: () => chain().deleteTable().run() },
  ];
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const last = buttons.length - 1;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? current === last
          ? 0
          : current + 1
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? current === 0
            ? last
            : current - 1
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setCurrent(next);
    bar.current?.querySelectorAll('button')[next]?.focus();
  }
  return (
    <div
      className="toolbar"
      role="toolbar"
      aria-label="Opmaak (formatting)"
      aria-controls="document-text"
      ref={bar}
      onKeyDown={onKeyDown}
    >
      {buttons.map((b, i) => (
        <button
          key={b.label}
          type="button"
          tabIndex={i === current ? 0 : -1}
          onFocus={() => setCurrent(i)}
          title={b.title}
          aria-pressed={b.active ?? undefined}
          className={b.active ? 'active' : ''}
          onMouseDown={(e) => e.preventDefault()}
          onClick={b.run}
        >
          {b.label}
        </button>
      ))}
    </div>
  );
}

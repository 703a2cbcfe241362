'use client';
import { EditorContent, useEditor, type JSONContent } from '@tiptap/react';
import { documentExtensions } from '@/common/schema/extensions';

/** A stored version shown with the same schema as the editor, not editable and not connected to anyone. */
export function ReadOnlyDocument({ json }: { json: unknown }) {
  const editor = useEditor({
    immediatelyRender: false,
    editable: false,
    extensions: documentExtensions(),
    content: json as JSONContent,
    editorProps: { attributes: { class: 'voorstel' } },
  });
  return (
    <div className="editor-shell">
      <EditorContent editor={editor} className="editor-content" />
    </div>
  );
}

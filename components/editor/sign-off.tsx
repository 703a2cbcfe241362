'use client';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { NodeViewWrapper, ReactNodeViewRenderer } from '@tiptap/react';
import { useTranslations } from 'next-intl';
import { createContext, useContext } from 'react';
import { ClosingSignOff } from '@/common/schema/metadata';
import { SignedClosing } from '../SignedClosing';
import type { SignedOffInfo } from './connection';

/**
 * The signed-off record of the open document (null until the chair signs), for the closing block's sign-off part.
 * A context rather than document content: the statement is rendered from the signed version, never typed.
 */
export const SignOffContext = createContext<SignedOffInfo | null>(null);

function SignOffPart() {
  const info = useContext(SignOffContext);
  const t = useTranslations('closing');
  return (
    <NodeViewWrapper contentEditable={false} data-type="sign-off" className="voorstel-sign-off">
      {info ? (
        <SignedClosing info={info} />
      ) : (
        <p className="muted" data-testid="sign-off-pending">
          {t('pending')}
        </p>
      )}
    </NodeViewWrapper>
  );
}

/** The shared schema node with its browser rendering. */
export const ClosingSignOffView = ClosingSignOff.extend({
  addNodeView: () => ReactNodeViewRenderer(SignOffPart),
});

/** Whether a document has the sign-off part (documents made before it existed, or blank ones, do not). */
export function hasSignOffPart(doc: ProseMirrorNode): boolean {
  let found = false;
  doc.descendants((node) => {
    if (node.type.name === ClosingSignOff.name) found = true;
    return !found;
  });
  return found;
}

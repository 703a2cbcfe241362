/**
 * What each person may do with a document, from their role and the document's status: declared once here, used
 * by the server to decide, and sent to the browser as computed flags (`can`), so the browser never re-derives a rule.
 */
export const memberRoles = ['editor', 'commenter', 'chair', 'viewer'] as const;
export type MemberRole = (typeof memberRoles)[number];
export const documentStatuses = ['draft', 'review', 'signed_off'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** Whether the text is frozen for everyone (a signed-off document). */
export const isTextLocked = (status: DocumentStatus | string) => status === 'signed_off';

/** Who may change the text: an editor, while the text is not locked. The collaboration server checks it per message. */
export const canEditText = (role: MemberRole | string, status: DocumentStatus | string) => role === 'editor' && !isTextLocked(status);

/** Who writes comments and replies (viewers read); on a signed-off document nobody writes any more. */
export const commentWriterRoles: readonly MemberRole[] = ['editor', 'commenter', 'chair'];
/** Besides a thread's own author, these roles may resolve and reopen any thread. */
export const resolverRoles: readonly MemberRole[] = ['editor', 'chair'];

/**
 * The workflow: editors move draft ⇄ review; the chair signs off a document in review and reopens a signed-off one.
 * Each transition names the role that may make it.
 */
export const workflowTransitions = [
  { action: 'review', from: 'draft', to: 'review', by: 'editor' },
  { action: 'draft', from: 'review', to: 'draft', by: 'editor' },
  { action: 'signOff', from: 'review', to: 'signed_off', by: 'chair' },
  { action: 'reopen', from: 'signed_off', to: 'draft', by: 'chair' },
] as const satisfies readonly { action: string; from: DocumentStatus; to: DocumentStatus; by: MemberRole }[];
export type WorkflowAction = (typeof workflowTransitions)[number]['action'];

export const mayTransition = (role: MemberRole | string, status: DocumentStatus | string, action: WorkflowAction) =>
  workflowTransitions.some((t) => t.action === action && t.from === status && t.by === role);

export interface DocumentPolicy {
  /** Type in the text and the header. */
  edit: boolean;
  /** Propose wording (suggestion mode); not built yet, so the same as `edit`. */
  suggest: boolean;
  comment: boolean;
  /** Resolve and reopen threads of others. */
  resolveAny: boolean;
  /** Move draft ⇄ review. */
  changeStatus: boolean;
  signOff: boolean;
  reopen: boolean;
  /** Invite, change roles (except the chair role, see the members rules) and remove members. */
  manageMembers: boolean;
  /** Name and restore versions. */
  manageVersions: boolean;
}

export function policyFor(role: MemberRole | string, status: DocumentStatus | string): DocumentPolicy {
  const locked = isTextLocked(status);
  const edit = canEditText(role, status);
  return {
    edit,
    suggest: edit,
    comment: !locked && (commentWriterRoles as readonly string[]).includes(role),
    resolveAny: !locked && (resolverRoles as readonly string[]).includes(role),
    changeStatus: mayTransition(role, status, 'review') || mayTransition(role, status, 'draft'),
    signOff: mayTransition(role, status, 'signOff'),
    reopen: mayTransition(role, status, 'reopen'),
    manageMembers: role === 'editor',
    manageVersions: edit,
  };
}

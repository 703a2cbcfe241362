/**
 * What each person may do with a document, from their role and the document's status: declared once here, used
 * by the server to decide, and sent to the browser as computed flags (`can`), so the browser never re-derives a rule.
 */
export const memberRoles = ['editor', 'commenter', 'chair', 'viewer'] as const;
export type MemberRole = (typeof memberRoles)[number];
/**
 * `ready` (*ter vaststelling*) sits between review and sign-off: the text is locked for everyone, exactly as after a
 * sign-off, so the chair signs the text that everybody saw locked. New values go at the end: the database enum
 * only grows (ALTER TYPE … ADD VALUE), and its order is not used anywhere.
 */
export const documentStatuses = ['draft', 'review', 'signed_off', 'ready'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];

/** Whether the text is frozen for everyone: a document ready for sign-off, or signed off. */
export const isTextLocked = (status: DocumentStatus | string) => status === 'signed_off' || status === 'ready';

/** Whether the document is final (signed off): no more comments, answers or status changes except reopening. */
export const isSignedOff = (status: DocumentStatus | string) => status === 'signed_off';

/** Who may change the text: an editor, while the text is not locked. The collaboration server checks it per message. */
export const canEditText = (role: MemberRole | string, status: DocumentStatus | string) =>
  role === 'editor' && !isTextLocked(status);

/**
 * Who may propose wording (suggestion mode) while the text is not locked: editors (when they choose to), commenters
 * and the chair. For a commenter or the chair the collaboration server applies only updates that change nothing but
 * their own suggestions (server/collab/suggestion-guard.ts).
 */
export const suggesterRoles: readonly MemberRole[] = ['editor', 'commenter', 'chair'];
export const canSuggestText = (role: MemberRole | string, status: DocumentStatus | string) =>
  (suggesterRoles as readonly string[]).includes(role) && !isTextLocked(status);

/** Who accepts and rejects suggestions (any author's); the author of one may always withdraw it while the text is open. */
export const suggestionDeciderRoles: readonly MemberRole[] = ['editor', 'chair'];

/**
 * Who writes comments and replies (viewers read); on a signed-off document nobody writes any more. A document
 * ready for sign-off still takes comments: they are not the text, and the chair may still clear open threads.
 */
export const commentWriterRoles: readonly MemberRole[] = ['editor', 'commenter', 'chair'];
/** Besides a thread's own author, these roles may resolve and reopen any thread. */
export const resolverRoles: readonly MemberRole[] = ['editor', 'chair'];

/**
 * The workflow: editors move draft → review → ready and back from review or ready to draft; the chair signs off a
 * document that is ready (and only then) and reopens a signed-off one. Each transition names the role that may make it.
 */
export const workflowTransitions = [
  { action: 'review', from: 'draft', to: 'review', by: 'editor' },
  { action: 'ready', from: 'review', to: 'ready', by: 'editor' },
  { action: 'draft', from: 'review', to: 'draft', by: 'editor' },
  { action: 'draft', from: 'ready', to: 'draft', by: 'editor' },
  { action: 'signOff', from: 'ready', to: 'signed_off', by: 'chair' },
  { action: 'reopen', from: 'signed_off', to: 'draft', by: 'chair' },
] as const satisfies readonly { action: string; from: DocumentStatus; to: DocumentStatus; by: MemberRole }[];
export type WorkflowAction = (typeof workflowTransitions)[number]['action'];

export const mayTransition = (role: MemberRole | string, status: DocumentStatus | string, action: WorkflowAction) =>
  workflowTransitions.some((t) => t.action === action && t.from === status && t.by === role);

export interface DocumentPolicy {
  /** Type in the text and the header. */
  edit: boolean;
  /** Propose wording (suggestion mode): typing is checked by the server to change only one's own suggestions. */
  suggest: boolean;
  /** Accept and reject the suggestions of others. */
  decideSuggestions: boolean;
  comment: boolean;
  /** Resolve and reopen threads of others. */
  resolveAny: boolean;
  /** Move draft → review → ready, or back to draft (see `statusTargets` for where to). */
  changeStatus: boolean;
  /** The statuses this person may move the document to now (POST /status). */
  statusTargets: ('review' | 'ready' | 'draft')[];
  signOff: boolean;
  reopen: boolean;
  /** Invite, change roles (except the chair role, see the members rules) and remove members. */
  manageMembers: boolean;
  /** Name and restore versions. */
  manageVersions: boolean;
  /** Open a consultation round (the document moves to review). One open round at a time is checked by the server. */
  openRound: boolean;
  /** Close an open round before its due date. */
  closeRound: boolean;
}

/** Statuses in which a consultation round may be opened: before the text is locked. */
export const roundOpenableStatuses: readonly DocumentStatus[] = ['draft', 'review'];
/** Who opens rounds, and who closes them early. */
export const roundOpenerRoles: readonly MemberRole[] = ['editor'];
export const roundCloserRoles: readonly MemberRole[] = ['editor', 'chair'];

/**
 * An archived document is read-only for everyone, whatever its status: nothing but reading (and unarchiving, which
 * `manageMembers` editors do through the documents API) until it is restored.
 */
export function policyFor(
  role: MemberRole | string,
  status: DocumentStatus | string,
  archived = false,
): DocumentPolicy {
  if (archived) {
    return {
      edit: false,
      suggest: false,
      decideSuggestions: false,
      comment: false,
      resolveAny: false,
      changeStatus: false,
      statusTargets: [],
      signOff: false,
      reopen: false,
      manageMembers: role === 'editor',
      manageVersions: false,
      openRound: false,
      closeRound: false,
    };
  }
  const edit = canEditText(role, status);
  const statusTargets = (['review', 'ready', 'draft'] as const).filter((action) => mayTransition(role, status, action));
  return {
    edit,
    suggest: canSuggestText(role, status),
    decideSuggestions: (suggestionDeciderRoles as readonly string[]).includes(role) && !isTextLocked(status),
    comment: !isSignedOff(status) && (commentWriterRoles as readonly string[]).includes(role),
    resolveAny: !isSignedOff(status) && (resolverRoles as readonly string[]).includes(role),
    changeStatus: statusTargets.length > 0,
    statusTargets,
    signOff: mayTransition(role, status, 'signOff'),
    reopen: mayTransition(role, status, 'reopen'),
    manageMembers: role === 'editor',
    manageVersions: edit,
    openRound:
      (roundOpenerRoles as readonly string[]).includes(role) &&
      (roundOpenableStatuses as readonly string[]).includes(status),
    closeRound: (roundCloserRoles as readonly string[]).includes(role),
  };
}

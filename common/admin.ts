/** What the administration API and page show of a person and a group (never a password hash). */
export interface AdminPersonView {
  id: string;
  email: string;
  name: string;
  organisation: string | null;
  isAdmin: boolean;
  active: boolean;
}

/** A page of the administration's people table (`GET /api/admin/people`). */
export interface PeoplePage {
  people: AdminPersonView[];
  /** How many people match the filter in all. */
  total: number;
  page: number;
  pageSize: number;
}

export interface GroupView {
  id: string;
  name: string;
  members: { id: string; name: string; organisation: string | null }[];
}

/** What an editor sees of a group when adding it to a document: its name and size. */
export interface GroupSummary {
  id: string;
  name: string;
  memberCount: number;
}

/** The result of adding a group to a document: who became a member, who was skipped and why. */
export interface GroupAddResult {
  added: { userId: string; name: string }[];
  skipped: { userId: string; name: string; reason: 'already_member' | 'deactivated' }[];
}

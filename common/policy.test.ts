import { describe, expect, it } from 'vitest';
import { memberRoles, policyFor } from './policy';

describe('the document policy', () => {
  it('lets only editors type, and nobody once the document is signed off', () => {
    expect(memberRoles.filter((r) => policyFor(r, 'draft').edit)).toEqual(['editor']);
    expect(memberRoles.filter((r) => policyFor(r, 'review').edit)).toEqual(['editor']);
    expect(memberRoles.filter((r) => policyFor(r, 'signed_off').edit)).toEqual([]);
    expect(memberRoles.filter((r) => policyFor(r, 'ready').edit)).toEqual([]);
  });

  it('lets editors, commenters and the chair comment until the sign-off; viewers only read', () => {
    expect(memberRoles.filter((r) => policyFor(r, 'review').comment)).toEqual(['editor', 'commenter', 'chair']);
    expect(memberRoles.filter((r) => policyFor(r, 'ready').comment)).toEqual(['editor', 'commenter', 'chair']);
    expect(memberRoles.filter((r) => policyFor(r, 'signed_off').comment)).toEqual([]);
    expect(memberRoles.filter((r) => policyFor(r, 'draft').resolveAny)).toEqual(['editor', 'chair']);
  });

  it('follows the workflow: editors move draft → review → ready and back to draft, the chair signs off only from ready and reopens', () => {
    expect(policyFor('editor', 'draft').changeStatus).toBe(true);
    expect(policyFor('editor', 'draft').statusTargets).toEqual(['review']);
    expect(policyFor('editor', 'review').statusTargets).toEqual(['ready', 'draft']);
    expect(policyFor('editor', 'ready').statusTargets).toEqual(['draft']);
    expect(policyFor('editor', 'signed_off').changeStatus).toBe(false);
    expect(policyFor('chair', 'ready').statusTargets).toEqual([]);
    expect(policyFor('chair', 'review').signOff).toBe(false);
    expect(policyFor('chair', 'ready').signOff).toBe(true);
    expect(policyFor('editor', 'ready').signOff).toBe(false);
    expect(policyFor('chair', 'draft').signOff).toBe(false);
    expect(policyFor('editor', 'review').signOff).toBe(false);
    expect(policyFor('chair', 'signed_off').reopen).toBe(true);
    expect(policyFor('commenter', 'signed_off').reopen).toBe(false);
  });
});

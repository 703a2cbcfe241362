import type { ReactNode } from 'react';

/*
 * The feedback lines of the forms and action buttons, in one place so they read and sound the same everywhere:
 * an error is role="alert" (a screen reader announces it the moment it appears), a confirmation role="status"
 * (announced politely). Both render nothing while their text is empty.
 */

/** A request's error; `inline` for one next to a button inside a line (a span, not a paragraph). */
export function FormError({ error, inline = false }: { error: string | undefined; inline?: boolean }) {
  if (!error) return null;
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag role="alert" className="error">
      {error}
    </Tag>
  );
}

/** What a form just did (a notice), then its error: the pair the panels show above or below their forms. */
export function FormFeedback({ notice, error }: { notice: string | undefined; error?: string }) {
  return (
    <>
      {notice && (
        <p role="status" className="muted">
          {notice}
        </p>
      )}
      <FormError error={error} />
    </>
  );
}

/** The end of a form: its error, then the submit button, disabled while the request runs (no double submit). */
export function FormSubmit({ error, busy, label }: { error: string | undefined; busy: boolean; label: ReactNode }) {
  return (
    <>
      <FormError error={error} />
      <button type="submit" disabled={busy}>
        {label}
      </button>
    </>
  );
}

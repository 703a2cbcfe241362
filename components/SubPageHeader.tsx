import type { ReactNode } from 'react';

/** The top of a page under a document: a way back, and the page's title. */
export function SubPageHeader({
  backHref,
  backLabel,
  title,
}: {
  backHref: string;
  backLabel: ReactNode;
  title: ReactNode;
}) {
  return (
    <>
      <p>
        <a href={backHref}>← {backLabel}</a>
      </p>
      <h1>{title}</h1>
    </>
  );
}

import type { ReactNode } from 'react';

/** The top of a page under a document: a way back, and the page's title (Dutch, with English beside it). */
export function SubPageHeader({
  backHref,
  backLabel,
  title,
  en,
}: {
  backHref: string;
  backLabel: ReactNode;
  title: ReactNode;
  en?: string;
}) {
  return (
    <>
      <p>
        <a href={backHref}>← {backLabel}</a>
      </p>
      <h1>
        {title} {en && <span className="en">({en})</span>}
      </h1>
    </>
  );
}

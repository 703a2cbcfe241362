'use client';
import { useState, type FormEvent } from 'react';
import { apiError, networkError } from './labels';

interface Imported {
  id: string;
  title: string;
  warnings: { code: string; message: string }[];
}

/** Uploads a .docx to POST /api/documents/import; the server creates the document, so no browser seeds content. */
export function ImportDocumentForm() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [imported, setImported] = useState<Imported>();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError('');
    setImported(undefined);
    // finally: a network error must not leave the button disabled for good.
    try {
      const res = await fetch('/api/documents/import', { method: 'POST', body: new FormData(e.currentTarget) });
      if (!res.ok) return setError(await apiError(res));
      const doc = (await res.json()) as Imported;
      // Without warnings there is nothing to read here: open the new document at once.
      if (doc.warnings.length === 0) return window.location.assign(`/documents/${doc.id}`);
      setImported(doc);
    } catch {
      setError(networkError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form inline-form" onSubmit={onSubmit} aria-label="Word-document importeren">
      <h2>
        Word-document importeren <span className="en">(import a .docx)</span>
      </h2>
      <label>
        Bestand <span className="en">(file, .docx, max. 10 MB)</span>
        <input
          name="file"
          type="file"
          required
          accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        />
      </label>
      <label>
        Titel <span className="en">(title, optional)</span>
        <input name="title" maxLength={300} placeholder="Uit het document (from the document)" />
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {imported && (
        <div role="status" className="import-result">
          <p>
            Geïmporteerd, met opmerkingen <span className="en">(imported, with notes)</span>:
          </p>
          <ul>
            {imported.warnings.map((w) => (
              <li key={w.code}>{w.message}</li>
            ))}
          </ul>
          <a href={`/documents/${imported.id}`}>{imported.title} openen (open)</a>
        </div>
      )}
      <button type="submit" disabled={busy}>
        Importeren <span className="en">(import)</span>
      </button>
    </form>
  );
}

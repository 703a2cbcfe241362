'use client';
import { useState, type FormEvent } from 'react';
import { apiError, networkError } from './labels';

export function NewDocumentForm() {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError('');
    // finally: a network error must not leave the button disabled for good.
    try {
      const res = await fetch('/api/documents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: form.get('title'), template: form.get('template') }),
      });
      if (!res.ok) return setError(await apiError(res));
      const doc = (await res.json()) as { id: string };
      window.location.assign(`/documents/${doc.id}`);
    } catch {
      setError(networkError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form inline-form" onSubmit={onSubmit} aria-label="Nieuw document">
      <h2>
        Nieuw document <span className="en">(new document)</span>
      </h2>
      <label>
        Titel <span className="en">(title)</span>
        <input name="title" required maxLength={300} />
      </label>
      <label>
        Sjabloon <span className="en">(template)</span>
        <select name="template" defaultValue="voorstel">
          <option value="voorstel">Voorstel aan het algemeen bestuur</option>
          <option value="blank">Leeg document (blank)</option>
        </select>
      </label>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        Aanmaken <span className="en">(create)</span>
      </button>
    </form>
  );
}

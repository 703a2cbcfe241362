/** The search box in the header: a plain GET form to the results page (works without JavaScript). */
export function SearchBox({ defaultValue = '' }: { defaultValue?: string }) {
  return (
    <form action="/search" method="get" role="search" className="topbar-search">
      <label htmlFor="topbar-search-q" className="visually-hidden">
        Zoeken (search)
      </label>
      <input
        id="topbar-search-q"
        name="q"
        type="search"
        maxLength={200}
        required
        placeholder="Zoeken in mijn documenten…"
        defaultValue={defaultValue}
      />
      <button type="submit">Zoeken</button>
    </form>
  );
}

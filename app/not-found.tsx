export default function NotFound() {
  return (
    <section>
      <h1>Niet gevonden</h1>
      <p>Dit document bestaat niet of je hebt er geen toegang toe. (Not found, or no access.)</p>
      <p>
        <a href="/">Naar mijn documenten</a>
      </p>
    </section>
  );
}

/**
 * `OIDC_ORGANISATION_CLAIM`: the identity provider names the person's organisation (an Entra ID extension
 * attribute, a Keycloak user attribute mapped into the ID token), and Stukwerk takes it over at each sign-in, so
 * the municipality's own directory decides it. The value is a string, or a list whose first entry counts (Keycloak
 * maps multi-valued attributes to lists); anything else, empty text, or more than 200 characters is ignored and
 * the organisation stays as it was. A claim name may be a dotted path into nested claims (`org.name`).
 */
export function organisationFromClaims(
  claims: Record<string, unknown> | undefined,
  claim: string | undefined,
): string | undefined {
  if (!claims || !claim) return undefined;
  let value: unknown = Object.hasOwn(claims, claim) ? claims[claim] : undefined;
  if (value === undefined && claim.includes('.')) {
    value = claim.split('.').reduce<unknown>((at, key) => {
      if (!at || typeof at !== 'object' || Array.isArray(at) || !Object.hasOwn(at, key)) return undefined;
      return (at as Record<string, unknown>)[key];
    }, claims);
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value !== 'string') return undefined;
  const name = value.trim().replace(/\s+/g, ' ');
  return name && name.length <= 200 ? name : undefined;
}

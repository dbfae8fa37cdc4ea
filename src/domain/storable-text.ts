// Text that can be stored and shown anywhere: PostgreSQL text and jsonb refuse NUL and lone
// surrogates (SQLSTATE 22P05, 22P02). Pure: used by activities and workflows alike.

/**
 * `text` as well-formed Unicode (lone surrogates become U+FFFD) without NUL or other control
 * characters but tab and newline, cut to at most `max` characters (an ellipsis marks the cut).
 */
export function storableText(text: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.toWellFormed().replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, type ApiError } from '../errors';
import { errorResponses } from '../schemas';

/**
 * A code unit that no text field may hold: a lone surrogate (not well-formed Unicode), NUL, or a
 * control character (C0, DEL, C1) other than tab and newline; CR only as part of CRLF.
 */
// Without the `u` flag the pattern sees UTF-16 code units, so unpaired surrogates are visible.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- control characters are what this pattern finds
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Where a string breaks the rule: the offending code unit (as `U+XXXX`) and its index. */
export interface TextProblem {
  codePoint: string;
  index: number;
  kind: 'lone_surrogate' | 'nul' | 'control_character';
}

/** The first forbidden code unit of `s`, or undefined when `s` is acceptable text. */
export function textProblem(s: string): TextProblem | undefined {
  const m = FORBIDDEN.exec(s);
  if (!m) return undefined;
  const unit = m[0].charCodeAt(0);
  const kind = unit >= 0xd800 && unit <= 0xdfff ? 'lone_surrogate' : unit === 0 ? 'nul' : 'control_character';
  return { codePoint: `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`, index: m.index, kind };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
// JSON.stringify escapes control characters and lone surrogates, so a field name stays printable.
const member = (path: string, key: string) => (IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`);

/**
 * Walks a parsed JSON value (iteratively: deep nesting cannot overflow the stack) and returns the
 * first string or object key that is not acceptable text, with its field path (`body.materials[3]`).
 */
export function findInvalidText(value: unknown, root: string): (TextProblem & { field: string }) | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      const p = textProblem(v);
      if (p) return { field: path, ...p };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v).reverse()) {
        const p = textProblem(k);
        if (p) return { field: member(path, k), ...p };
        stack.push([child, member(path, k)]);
      }
    }
  }
  return undefined;
}

const WHAT: Record<TextProblem['kind'], string> = {
  lone_surrogate: 'is not well-formed Unicode (a lone surrogate)',
  nul: 'contains a NUL character',
  control_character: 'contains a control character',
};

export function invalidText(p: TextProblem & { field: string }): ApiError {
  return badRequest(
    'invalid_text',
    `${p.field} ${WHAT[p.kind]} (${p.codePoint} at position ${p.index}); text may hold tab, newline and CRLF but no other control characters`,
    { field: p.field, codePoint: p.codePoint, index: p.index },
  );
}

/**
 * A raw query string whose percent-escapes do not decode as UTF-8 (e.g. `%ED%A0%80`, a lone
 * surrogate in WTF-8) is kept verbatim by the parser; refuse it rather than pass on other text.
 */
function undecodableQuery(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q < 0) return undefined;
  for (const pair of url.slice(q + 1).split('&')) {
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    const key = decode(k);
    if (key === undefined) return 'query';
    if (decode(v) === undefined) return member('query', key);
  }
  return undefined;
}

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function check(req: FastifyRequest): void {
  const field = undecodableQuery(req.url);
  if (field) {
    throw badRequest('invalid_text', `${field} is not percent-encoded UTF-8`, { field });
  }
  for (const [root, value] of [['params', req.params], ['query', req.query], ['body', req.body]] as const) {
    const p = findInvalidText(value, root);
    if (p) throw invalidText(p);
  }
}

/**
 * Text hygiene for every request, in one place (API-2.md "Abuse and identity"): PostgreSQL text
 * and jsonb cannot hold NUL, a lone surrogate wedges a workflow whose payload cannot be encoded,
 * and control characters have no place in a legal record. Refused before validation, so nothing
 * is started or written. Register before the routes: it documents the 400 on each as it is added.
 */
export default fp(
  async function textHygiene(app: FastifyInstance) {
    app.addHook('preValidation', async (req) => check(req));
    // Any route that takes input can now answer 400: say so in its OpenAPI description.
    const malformed = errorResponses(400);
    app.addHook('onRoute', (route) => {
      const response = route.schema?.response as Record<string, unknown> | undefined;
      const takesInput = route.schema?.params || route.schema?.querystring || route.schema?.body;
      if (response && takesInput && !response[400]) Object.assign(response, malformed);
    });
  },
  { name: 'text-hygiene' },
);

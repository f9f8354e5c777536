/** Patterns with wildcards, as IAM policies, CORS origins and issuers known only after deployment write them. Pure. */

/**
 * `pattern` as a whole-string RegExp: `*` stands for `star` (any run of characters by default),
 * `?` for one character when `question` is set; everything else is literal.
 */
export function wildcardRegExp(pattern: string, options: { star?: string; question?: boolean; flags?: string } = {}): RegExp {
  const body = pattern.split('').map(c => {
    if (c === '*') return options.star ?? '.*';
    if (c === '?' && options.question) return '.';
    return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }).join('');
  return new RegExp(`^${body}$`, options.flags);
}

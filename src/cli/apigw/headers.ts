/** HTTP headers as sent: names in their own case, a repeated header as several entries. Pure. */

export type HeaderPairs = ReadonlyArray<readonly [string, string]>;

/** The last value of a header, whatever the case of its name; `name` in lower case. */
export function headerValue(headers: HeaderPairs, name: string): string | undefined {
  return headers.filter(([n]) => n.toLowerCase() === name).pop()?.[1];
}

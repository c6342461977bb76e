/**
 * Code-point order for ids and codes. `localeCompare` depends on the runtime's ICU data; this does not,
 * so every isolate (and every test) sorts the same way.
 *
 * @example
 * ["b", "B", "a"].sort(codePointOrder); // ["B", "a", "b"]
 */
export function codePointOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

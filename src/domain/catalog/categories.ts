/**
 * The catalog's fixed categories. They are part of the public contract (an enum in the API), so a new
 * one is an API change: add it here and every schema, the demo data and the docs follow.
 */
export const CATEGORIES = [
  "electronics",
  "computers",
  "home",
  "kitchen",
  "furniture",
  "lighting",
  "clothing",
  "shoes",
  "beauty",
  "sports",
  "toys",
  "books",
  "garden",
  "office",
  "pets",
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Narrows an arbitrary string, e.g. a promotion's category read back from D1. */
export function isCategory(value: string): value is Category {
  return (CATEGORIES as readonly string[]).includes(value);
}

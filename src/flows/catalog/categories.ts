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

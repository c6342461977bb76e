/**
 * The file formats a catalog import accepts, named by the upload's media type. Parameters such as
 * `charset` are allowed; the media type alone decides.
 */
export const IMPORT_FORMATS = ["ndjson", "csv"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const MEDIA_TYPES: Readonly<Record<string, ImportFormat>> = {
  "application/x-ndjson": "ndjson",
  "text/csv": "csv",
};

export const IMPORT_MEDIA_TYPES = Object.keys(MEDIA_TYPES);

/** The format a Content-Type header names, or null for any other (or no) media type. */
export function importFormatOf(contentType: string | undefined): ImportFormat | null {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return MEDIA_TYPES[mediaType] ?? null;
}

import { type PageSection, pageSection } from "../../platform/http/pages/section";

/** A console section (src/routes/console/index.tsx lists them): see `pageSection`. */
export type ConsoleSection = PageSection;
export const consoleSection = pageSection;

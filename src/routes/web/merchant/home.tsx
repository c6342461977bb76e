import { pageSection } from "../../../platform/http/pages/section";
import { signedIn } from "../session";

/** The merchant workspace's front page. */
export const merchantHomeSection = pageSection("Workspace", "/merchant", (r) =>
  r.get("/merchant", signedIn("merchant"), (c) =>
    c.render(
      <>
        <h1>Your workspace</h1>
        <p class="muted">Products, imports, orders, reports, settlements, API keys and analytics.</p>
      </>,
      { title: "Workspace", section: "/merchant" },
    ),
  ),
);

import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { API_KEY_SCOPES, type ApiKeyScope } from "../../../flows/accounts/schema";
import { NotFoundError } from "../../../platform/errors";
import type { AppEnv } from "../../../platform/http/app-env";
import { pageSection } from "../../../platform/http/pages/section";
import type { ApiKeySchema, CreateApiKeyBody } from "../../accounts/api-keys/api-keys.routes";
import { orThrow, problemText } from "../errors";
import { apiFor, signedIn } from "../session";
import { DoneNotice, FormError, field, MERCHANT_CSS, noticeUrl, Table, utc } from "./parts";

const HREF = "/merchant/api-keys";
type ApiKey = z.infer<typeof ApiKeySchema>;
type NewApiKey = z.infer<typeof CreateApiKeyBody>;

/** What each scope lets a program do, in a merchant's words. */
const SCOPE_WORDS: Record<ApiKeyScope, string> = {
  "catalog:write": "Add products and import catalog files",
  "events:write": "Report storefront events (views, carts, checkouts)",
  "reports:read": "Request and download reports, read product analytics",
  "orders:read": "Read your order desk",
};

const listKeys = async (c: Context<AppEnv>) =>
  orThrow(await apiFor(c)<{ items: ApiKey[] }>("/v1/api-keys")).items;

const CreateKeyForm = ({ error, name, scopes }: { error?: string; name?: string; scopes?: string[] }) => (
  <section class="panel" aria-labelledby="new-key">
    <h2 id="new-key">Create a key</h2>
    <FormError error={error} />
    <form method="post" action={HREF} class="stack">
      <label for="name">Name</label>
      <input
        id="name"
        name="name"
        required
        maxlength={100}
        value={name}
        placeholder="catalog sync"
        aria-describedby="name-hint"
      />
      <p id="name-hint" class="muted hint">
        What the key is for, so you know which to revoke later.
      </p>
      <fieldset>
        <legend>What the key may do</legend>
        {API_KEY_SCOPES.map((scope) => (
          <label class="choice">
            <input type="checkbox" name="scopes" value={scope} checked={scopes?.includes(scope)} />{" "}
            <code>{scope}</code>: {SCOPE_WORDS[scope]}
          </label>
        ))}
      </fieldset>
      <button type="submit" class="button primary">
        Create the key
      </button>
    </form>
  </section>
);

const KeysTable = ({ keys }: { keys: ApiKey[] }) => (
  <Table caption="Your API keys, newest first">
    <thead>
      <tr>
        <th scope="col">Name</th>
        <th scope="col">Starts with</th>
        <th scope="col">Scopes</th>
        <th scope="col">Created</th>
        <th scope="col">Last used</th>
        <th scope="col">
          <span class="visually-hidden">Actions</span>
        </th>
      </tr>
    </thead>
    <tbody>
      {keys.map((k) => (
        <tr>
          <td>{k.name}</td>
          <td>
            <code>{k.prefix}…</code>
          </td>
          <td>{k.scopes.join(", ")}</td>
          <td>{utc(k.createdAt)}</td>
          <td>{k.lastUsedAt ? utc(k.lastUsedAt) : "never"}</td>
          <td>
            <a class="button danger" href={`${HREF}/${k.id}/revoke`}>
              Revoke<span class="visually-hidden"> {k.name}</span>
            </a>
          </td>
        </tr>
      ))}
    </tbody>
  </Table>
);

async function keysPage(c: Context<AppEnv>, form?: { error: string; name: string; scopes: string[] }) {
  const keys = await listKeys(c);
  return c.render(
    <>
      <h1>API keys</h1>
      <DoneNotice c={c} />
      <p class="muted">
        Keys let your own programs call the Crossdock API as you, limited to the scopes you give them.
      </p>
      {keys.length === 0 ? (
        <p class="empty">No API keys yet. Create one below when a program needs to call the API.</p>
      ) : (
        <KeysTable keys={keys} />
      )}
      <CreateKeyForm {...form} />
    </>,
    { title: "API keys", section: HREF, head: MERCHANT_CSS },
  );
}

/**
 * API keys (GET, POST and DELETE /v1/api-keys). A new key's secret exists in one answer only: the
 * form's POST answers with a page that shows it (never a redirect, whose URL or cookie would keep it),
 * marked not to be stored. Revoking asks first on a page of its own, so it needs no script.
 */
export const merchantApiKeysSection = pageSection("API keys", HREF, (r) =>
  r
    .get(HREF, signedIn("merchant"), (c) => keysPage(c))
    .post(HREF, signedIn("merchant"), async (c) => {
      const form = await c.req.parseBody({ all: true });
      const name = field(form, "name");
      const picked = form.scopes;
      const scopes = (Array.isArray(picked) ? picked : picked === undefined ? [] : [picked]).filter(
        (s): s is string => typeof s === "string",
      );
      const answer = await apiFor(c)<ApiKey & { key: string }>("/v1/api-keys", {
        json: { name, scopes } as NewApiKey,
      });
      if (!answer.ok) {
        c.status(answer.status as 400);
        return keysPage(c, { error: problemText(answer.problem), name, scopes });
      }
      const created = answer.body;
      c.status(201);
      c.header("Cache-Control", "no-store");
      return c.render(
        <>
          <h1>Your new API key</h1>
          <section class="panel key-reveal" aria-labelledby="key-label">
            <p role="alert" class="notice notice-warn">
              Copy this key now. You will not see it again: Crossdock keeps only a fingerprint of it.
            </p>
            <p id="key-label">
              <strong>{created.name}</strong> ({created.scopes.join(", ")})
            </p>
            <p>
              <code class="secret" id="new-key-secret">
                {created.key}
              </code>
            </p>
            <p class="muted hint">
              Click the key to select all of it, then copy it (Ctrl+C, or ⌘C on a Mac). Send it as{" "}
              <code>Authorization: Bearer &lt;key&gt;</code>.
            </p>
          </section>
          <p>
            <a class="button" href={HREF}>
              I have copied it: back to API keys
            </a>
          </p>
        </>,
        { title: "Your new API key", section: HREF, head: MERCHANT_CSS },
      );
    })
    .get(`${HREF}/:id/revoke`, signedIn("merchant"), async (c) => {
      const id = c.req.param("id");
      const key = (await listKeys(c)).find((k) => k.id === id);
      if (!key) throw new NotFoundError("API key", id);
      return c.render(
        <section class="panel narrow">
          <h1>Revoke “{key.name}”?</h1>
          <p>
            The key starting <code>{key.prefix}…</code> ({key.scopes.join(", ")}) stops working at once.
            Programs using it will get 401 until you give them another key. This cannot be undone.
          </p>
          <form method="post" action={`${HREF}/${key.id}/revoke`} class="inline-form">
            <button type="submit" class="button danger">
              Revoke the key
            </button>
            <a href={HREF}>Keep it</a>
          </form>
        </section>,
        { title: "Revoke an API key", section: HREF, head: MERCHANT_CSS },
      );
    })
    .post(`${HREF}/:id/revoke`, signedIn("merchant"), async (c) => {
      const id = encodeURIComponent(c.req.param("id"));
      orThrow(await apiFor(c)(`/v1/api-keys/${id}`, { method: "DELETE" }));
      return c.redirect(noticeUrl(HREF, "key-revoked"), 303);
    }),
);

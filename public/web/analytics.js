// Reports what a shopper does (product viewed, added to or removed from the cart, search, checkout
// started) to POST /shop/analytics, which forwards to POST /v1/events. Each event gets its id when it
// happens and stays in sessionStorage until the server has answered for it, so an event resent after a
// lost answer or a page change is counted once (the API deduplicates by id). Batched: sent a moment
// after the last event, at once before the page is left.
const KEY = "crossdock-analytics";
const BATCH = 100;
let timer;
let sending = false;

const load = () => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "[]");
  } catch {
    return [];
  }
};
const save = (events) => sessionStorage.setItem(KEY, JSON.stringify(events));

function record(type, el, properties) {
  const event = { id: crypto.randomUUID(), type, occurredAt: new Date().toISOString() };
  if (el.dataset.productId) event.productId = el.dataset.productId;
  if (el.dataset.query) event.query = el.dataset.query;
  if (properties) event.properties = properties;
  save([...load(), event]);
}

async function send() {
  clearTimeout(timer);
  const batch = load().slice(0, BATCH);
  if (sending || batch.length === 0) return;
  sending = true;
  try {
    const res = await fetch("/shop/analytics", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ events: batch }),
      keepalive: true,
      credentials: "same-origin",
    });
    // Answered (accepted, or refused for good): done with these. 429 and 5xx: kept for the next try.
    if (res.status < 500 && res.status !== 429) {
      const sent = new Set(batch.map((e) => e.id));
      save(load().filter((e) => !sent.has(e.id)));
    }
  } catch {
    // Offline or the page is going: the events wait in sessionStorage for the next page.
  } finally {
    sending = false;
  }
}

const soon = () => {
  clearTimeout(timer);
  timer = setTimeout(send, 1500);
};

for (const el of document.querySelectorAll("[data-analytics-view]")) record(el.dataset.analyticsView, el);
for (const form of document.querySelectorAll("form[data-analytics-submit]")) {
  form.addEventListener("submit", () => {
    const quantity = Number(form.elements.quantity?.value);
    record(form.dataset.analyticsSubmit, form, quantity > 0 ? { quantity } : undefined);
    send();
  });
}
addEventListener("pagehide", send);
soon();

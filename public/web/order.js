// The order page, live: follows the order's event stream (/live) and, at each change, redraws the
// steps from a fresh render of this same page, so the words come from one place (the server). The
// status line is the stream's own message, in a polite live region.
const slot = document.getElementById("order-live-slot");
let latest = null;
let seq = 0;

// A payment still running shows the slow note once it has taken longer than usual (the server says
// when, relative to its render).
function armSlow(root) {
  for (const note of root.querySelectorAll("[data-slow-in]")) {
    if (note.hidden) setTimeout(() => (note.hidden = false), Number(note.dataset.slowIn));
  }
}

async function redraw(tries = 0) {
  const mine = ++seq;
  const res = await fetch(location.pathname, { headers: { accept: "text/html" } }).catch(() => null);
  if (!res?.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.getElementById("order-live");
  const current = document.getElementById("order-live");
  if (mine !== seq || !fresh || !current) return;
  for (const part of ["h2", ".order-steps", ".order-note"])
    current.querySelector(part).replaceWith(fresh.querySelector(part));
  document.getElementById("order-actions").replaceWith(doc.getElementById("order-actions"));
  document.querySelector(".refresh-link")?.remove();
  armSlow(current);
  // The stream speaks before the order's record is written: until the render has caught up, ask again.
  const rendered = fresh.querySelector("#order-status").textContent.trim();
  if (latest !== null && rendered !== latest && tries < 10) setTimeout(() => redraw(tries + 1), 300);
}

if (slot) {
  armSlow(slot);
  if (slot.dataset.settled !== "true") {
    document.querySelector(".refresh-link")?.remove();
    const stream = new EventSource(slot.dataset.live);
    stream.addEventListener("status", (event) => {
      const update = JSON.parse(event.data);
      latest = update.statusMessage;
      document.getElementById("order-status").textContent = latest;
      redraw();
      if (update.terminal) stream.close();
    });
  }
}

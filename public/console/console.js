// The console's one script: progressive enhancement only (every page works without it).
//
// Live figures: an element with `data-live="<url>"` opens an EventSource on that URL; each event's JSON
// data is an object whose keys name elements inside it (`data-field="<key>"`), whose text becomes the
// value. The server streams; the page never polls. A page that needs more registers it here by
// `data-` attribute, so no page carries an inline script (the console's CSP can stay strict).

/** @param {Element} root */
function followLive(root) {
  const url = root.getAttribute("data-live");
  if (!url) return;
  const source = new EventSource(url);
  source.addEventListener("figures", (event) => {
    const data = JSON.parse(event.data);
    for (const [key, value] of Object.entries(data)) {
      for (const el of root.querySelectorAll(`[data-field="${CSS.escape(key)}"]`)) {
        el.textContent = String(value);
      }
    }
    root.dispatchEvent(new CustomEvent("console:figures", { detail: data }));
  });
  window.addEventListener("pagehide", () => source.close());
}

for (const el of document.querySelectorAll("[data-live]")) followLive(el);

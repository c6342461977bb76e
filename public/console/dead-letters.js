// The redrive run page: its pause, resume and cancel buttons follow the run's state as the live figures
// bring it (console.js dispatches `console:figures` on the data-live element), so a button is usable
// only when the server would accept it. Without this script the server still refuses, with a notice.

for (const root of document.querySelectorAll("[data-live]")) {
  root.addEventListener("console:figures", (event) => {
    const { state } = /** @type {CustomEvent<{ state?: string }>} */ (event).detail;
    if (typeof state !== "string") return;
    for (const button of root.querySelectorAll("button[data-allowed-in]")) {
      const allowed = (button.getAttribute("data-allowed-in") ?? "").split(" ");
      /** @type {HTMLButtonElement} */ (button).disabled = !allowed.includes(state);
    }
  });
}

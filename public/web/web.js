// The storefront's one shared script (the pages work without it): a form that was sent says so and is
// not sent twice by an impatient second click. Page scripts (public/web/<page>.js) add the live parts.
for (const form of document.querySelectorAll("form[method=post]")) {
  form.addEventListener("submit", () => {
    // After the form's data is taken (a button disabled earlier would drop its own name and value).
    setTimeout(() => {
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    });
  });
}
// Back to a page from the history cache: its buttons work again.
addEventListener("pageshow", () => {
  for (const button of document.querySelectorAll("button[aria-busy=true]")) {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
});

// The checkout's price lock counts down to zero, then says the lock expired and offers a new price.
// It counts from the time left as the server saw it, not from this computer's clock, which may be off.
const lock = document.getElementById("price-lock");
if (lock) {
  const end = performance.now() + Number(lock.dataset.leftMs);
  const held = lock.querySelector(".lock-held");
  const expired = lock.querySelector(".lock-expired");
  const left = lock.querySelector(".lock-left");
  const place = document.querySelector(".place-form button[type=submit]");
  const time = lock.querySelector("time");
  // The server can only name the time in UTC; here it is shown in the buyer's own time zone.
  if (time) {
    time.textContent = new Date(lock.dataset.expiresAt).toLocaleTimeString([], {
      hour: "2-digit",
      minute: "2-digit",
    });
  }
  const tick = () => {
    const ms = end - performance.now();
    if (ms <= 0) {
      held.hidden = true;
      expired.hidden = false;
      if (place) place.disabled = true;
      return;
    }
    const s = Math.ceil(ms / 1000);
    left.textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
    setTimeout(tick, ms % 1000 || 1000);
  };
  tick();
}

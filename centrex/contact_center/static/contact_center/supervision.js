// Supervision pages: durations tick every second between two pushes of the server.
// The fragment carries the server's clock (data-now); each element with data-since (epoch
// seconds) shows the time elapsed since then. No inline script, no eval (CSP).
(function () {
  "use strict";
  let offset = 0; // server clock minus this browser's clock, in ms
  let seenNow = null;

  function format(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
  }

  function tick() {
    const root = document.getElementById("live-state");
    if (!root) return;
    if (root.dataset.now !== seenNow) {
      seenNow = root.dataset.now;
      offset = parseFloat(seenNow) * 1000 - Date.now();
    }
    const now = (Date.now() + offset) / 1000;
    document.querySelectorAll("[data-since]").forEach((el) => {
      const since = parseFloat(el.dataset.since);
      if (since > 0) el.textContent = format(now - since);
    });
  }

  document.addEventListener("htmx:sseMessage", tick);
  document.addEventListener("DOMContentLoaded", () => {
    tick();
    setInterval(tick, 1000);
  });
})();

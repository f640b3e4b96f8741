// Behaviour that would otherwise be inline script, which the Content Security Policy forbids.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// <form data-confirm="…">: ask before an irreversible step (publish, cancel).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// The staff sidebar scrolls on its own when it is taller than the screen: bring the page shown
// into its view, so the marked item is seen without scrolling the menu.
(() => {
  const sidebar = document.querySelector(".staff-sidebar");
  const current = sidebar && sidebar.querySelector("a[aria-current]");
  if (!current || sidebar.scrollHeight <= sidebar.clientHeight) return;
  const top = current.getBoundingClientRect().top - sidebar.getBoundingClientRect().top;
  if (top > sidebar.clientHeight - current.offsetHeight) {
    sidebar.scrollTop = top - sidebar.clientHeight / 2;
  }
})();

// <textarea data-count-min data-count-max> and <div data-count-for="its id" data-count-text>
// (the words, translated by the template): a live count of
// 字 (every character but spaces and line breaks, as the server counts them). Without script
// the help text states the range and the server checks it.
document.querySelectorAll("[data-count-for]").forEach((output) => {
  const area = document.getElementById(output.dataset.countFor);
  if (!area) return;
  const min = Number(area.dataset.countMin), max = Number(area.dataset.countMax);
  const show = () => {
    const count = area.value.replace(/\s/g, "").length;
    const ok = count >= min && count <= max;
    output.textContent = output.dataset.countText
      .replace("{count}", count).replace("{min}", min).replace("{max}", max);
    output.classList.toggle("text-danger", !ok && count > 0);
    output.classList.toggle("text-success", ok);
  };
  area.addEventListener("input", show);
  show();
});

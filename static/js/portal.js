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

// Behaviour that would otherwise be inline script, which the Content Security Policy forbids.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// <form data-confirm="…">: ask before an irreversible step (publish, cancel).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset && event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

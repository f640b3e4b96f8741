// Behaviour that would otherwise be inline script, which the Content Security Policy forbids.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

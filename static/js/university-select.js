// The registration form's 就读高校: a type-ahead (tom-select) over the national register, asked
// of /universities/search/ as the student types, so the page never carries the whole list.
// The input posts the chosen name; without this script it is a plain text box for the name.
document.querySelectorAll("input[data-university-search]").forEach((input) => {
  const url = input.dataset.universitySearch;
  const text = (key, fallback) => input.dataset[key] || fallback;
  // eslint-disable-next-line no-undef
  const select = new TomSelect(input, {
    maxItems: 1,
    valueField: "name",
    labelField: "name",
    searchField: [],
    delimiter: "\u001f", // names may hold commas; nothing here is ever a list
    create: false,
    persist: false,
    maxOptions: 15,
    loadThrottle: 250,
    closeAfterSelect: true,
    selectOnTab: true,
    // The server has chosen and ordered the matches (initials included): keep them all, in order.
    score: () => () => 1,
    shouldLoad: (query) => query.trim().length > 0,
    load(query, callback) {
      this.clearOptions();
      fetch(`${url}?q=${encodeURIComponent(query)}`, { headers: { Accept: "application/json" } })
        .then((response) => response.json())
        .then((data) => {
          input.dataset.lastError = data.error || "";
          callback(data.results || []);
        })
        .catch(() => callback());
    },
    // On a phone the list would open below the fold (and under the keyboard): the field moves
    // to the top of the screen, with its label, when the student starts on it.
    onFocus() {
      if (window.innerWidth < 768) (this.wrapper.parentElement || this.wrapper).scrollIntoView();
    },
    render: {
      option: (item, escape) => {
        const place = [item.province, item.city].filter(Boolean).map(escape).join(" ");
        return `<div class="py-1"><div>${escape(item.name)}</div>` +
          (place ? `<div class="small text-secondary">${place}</div>` : "") + "</div>";
      },
      item: (item, escape) => `<div>${escape(item.name)}</div>`,
      no_results: () =>
        `<div class="no-results">${input.dataset.lastError || text("noResults", "没有找到")}</div>`,
      loading: () => `<div class="p-2 small text-secondary">${text("loading", "正在查找…")}</div>`,
    },
  });
  // Tom Select moves the label to its own box; the hidden original, still read by screen
  // readers, keeps the label's name through aria-labelledby.
  if (select.control_input.getAttribute("aria-labelledby")) {
    input.setAttribute("aria-labelledby", select.control_input.getAttribute("aria-labelledby"));
  }
});

// The article list: search, sort, paging, and the analysed view of one article. Rows come
// from the JSON block above: [headline, date, source, language, topic, tone, quotes, people,
// has view].
(function () {
  "use strict";
  const rows = JSON.parse(document.getElementById("article-rows").textContent);
  const table = document.getElementById("article-table");
  const body = table.querySelector("tbody");
  const search = document.getElementById("search");
  const count = document.getElementById("match-count");
  const more = document.getElementById("more");
  let order = rows.map((_, idx) => idx);
  let shown = [];
  let limit = PAGE_ROWS;
  let sortKey = null;
  let sortDir = 1;

  function matches(row, words) {
    const text = (row[0] + " " + row[1] + " " + row[2] + " " + row[3] + " " + row[4]).toLowerCase();
    return words.every((word) => text.includes(word));
  }

  function cell(text, numeric) {
    const td = document.createElement("td");
    if (numeric) td.className = "n";
    td.textContent = text;
    return td;
  }

  function render() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    shown = order.filter((idx) => matches(rows[idx], words));
    const fragment = document.createDocumentFragment();
    for (const idx of shown.slice(0, limit)) {
      const row = rows[idx];
      const tr = document.createElement("tr");
      tr.dataset.idx = idx;
      const headline = document.createElement("td");
      if (row[8]) {
        const link = document.createElement("a");
        link.href = "#a-" + idx;
        link.textContent = row[0] || "(no headline)";
        headline.appendChild(link);
      } else {
        headline.textContent = row[0] || "(no headline)";
      }
      tr.appendChild(headline);
      tr.appendChild(cell(row[1], false));
      tr.appendChild(cell(row[2], false));
      tr.appendChild(cell(row[3], false));
      tr.appendChild(cell(row[4], false));
      tr.appendChild(cell(row[5] === null ? "" : row[5].toFixed(3), true));
      tr.appendChild(cell(String(row[6]), true));
      tr.appendChild(cell(String(row[7]), true));
      fragment.appendChild(tr);
    }
    body.replaceChildren(fragment);
    count.textContent = shown.length + " of " + rows.length + " articles";
    more.hidden = shown.length <= limit;
    table.dataset.rendered = String(Math.min(shown.length, limit));
  }

  function sortBy(key) {
    sortDir = sortKey === key ? -sortDir : 1;
    sortKey = key;
    order.sort((left, right) => {
      const a = rows[left][key];
      const b = rows[right][key];
      if (a === b) return left - right;
      if (a === null || a === "") return 1;
      if (b === null || b === "") return -1;
      return (a < b ? -1 : 1) * sortDir;
    });
    for (const th of table.querySelectorAll("th[data-key]")) {
      th.removeAttribute("aria-sort");
      if (Number(th.dataset.key) === key) {
        th.setAttribute("aria-sort", sortDir === 1 ? "ascending" : "descending");
      }
    }
    render();
  }

  function route() {
    const view = document.getElementById("view");
    const viewBody = document.getElementById("view-body");
    const match = /^#a-(\d+)$/.exec(location.hash);
    const template = match && document.getElementById("view-" + match[1]);
    if (!template) {
      view.hidden = true;
      document.querySelector("main").hidden = false;
      return;
    }
    viewBody.replaceChildren(template.content.cloneNode(true));
    document.querySelector("main").hidden = true;
    view.hidden = false;
    window.scrollTo(0, 0);
  }

  for (const th of table.querySelectorAll("th[data-key]")) {
    th.addEventListener("click", () => sortBy(Number(th.dataset.key)));
  }
  search.addEventListener("input", () => { limit = PAGE_ROWS; render(); });
  more.addEventListener("click", () => { limit += PAGE_ROWS; render(); });
  window.addEventListener("hashchange", route);
  render();
  route();
})();

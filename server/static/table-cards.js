// On a phone, console.css shows each table row as a card: every cell needs its column's
// name beside it. This copies each column header's words into data-label on the cells
// (cells that already carry one keep it). Without script the cards still stack.
for (const table of document.querySelectorAll("main table")) {
  const headers = [...table.querySelectorAll("thead tr:last-child > th")].map((th) =>
    th.textContent.trim());
  if (!headers.length) continue;
  for (const row of table.querySelectorAll("tbody tr")) {
    let column = 0;
    for (const cell of row.children) {
      if (!cell.hasAttribute("data-label") && headers[column]) {
        cell.setAttribute("data-label", headers[column]);
      }
      column += cell.colSpan || 1;
    }
  }
}

// CSV as RFC 4180 writes it: fields separated by commas, optionally quoted with ", a
// quote inside a quoted field doubled, lines ended by CRLF or LF (a line break inside
// quotes is part of the field). A UTF-8 byte order mark at the start is dropped.
// Returns the rows as arrays of strings.
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    if (quoted) {
      const close = text.indexOf('"', i);
      if (close < 0) {
        field += text.slice(i);
        i = n;
      } else if (text[close + 1] === '"') {
        field += text.slice(i, close + 1);
        i = close + 2;
      } else {
        field += text.slice(i, close);
        quoted = false;
        i = close + 1;
      }
      continue;
    }
    const c = text[i];
    if (c === '"' && field === "") {
      quoted = true;
      i += 1;
    } else if (c === ",") {
      row.push(field);
      field = "";
      i += 1;
    } else if (c === "\n" || c === "\r") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += c === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      // plain run up to the next comma, quote or line break
      let j = i;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 44 || d === 10 || d === 13) break;
        j += 1;
      }
      field += text.slice(i, j);
      i = j;
    }
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

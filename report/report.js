// pktmask report page: builds the connection table from the embedded JSON
// and keeps its view (sort, filter, page) in the URL fragment. Data is only
// ever put into the page with textContent, never parsed as HTML.
//
// What tests and links may rely on (keep stable):
//   #report-data, a script element of type application/json:
//       {"keys": [...], "text": [...], "strings": [...], "rows": [[...], ...],
//       "total": N}; a row is an array in keys order; where text[i] is true,
//       cell i is an index into strings (each distinct string is stored
//       once); multi-valued cells hold one value a line.
//   table#connections: th[data-key=KEY] (click to sort; class sorted-asc or
//       sorted-desc, aria-sort), tbody tr[data-id=ID], 100 rows a page.
//   #row-count: "N of M connections" (after the filter, of the rows embedded).
//   #filter: words, all must match: TEXT matches any cell; KEY:TEXT matches
//       the column KEY; KEY:>N and KEY:<N compare a numeric column.
//   #prev, #next, #page-info ("page P of Q").
//   Fragment: #sort=KEY:asc|desc&filter=TEXT&page=P (P from 1; each part
//       optional; TEXT URI-encoded). Read at load and on hashchange, written
//       with history.replaceState on every change.
//   Static HTML (no script needed): header#summary, table#run tr[data-field],
//       table#settings, section#identifies ul[data-list=NAME]
//       li[data-value][data-count][data-first] (li.none when empty),
//       p#timeline-caption, svg#timeline, svg#bytes-chart, p#rows-note.
(function () {
  'use strict';
  var PAGE_SIZE = 100;
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var keys = data.keys;
  var rows = data.rows.map(function (row) {
    return row.map(function (value, i) { return data.text[i] ? data.strings[value] : value; });
  });
  var table = document.getElementById('connections');
  var headers = Array.prototype.slice.call(table.querySelectorAll('th[data-key]'));
  var columns = headers.map(function (th) {
    return { key: th.getAttribute('data-key'), index: keys.indexOf(th.getAttribute('data-key')), th: th };
  });
  var columnIndex = {};
  keys.forEach(function (key, i) { columnIndex[key] = i; });
  var numeric = data.text.map(function (text) { return !text; });
  var lowered = rows.map(function (row) {
    return row.map(function (cell) { return String(cell).toLowerCase(); });
  });
  var state = { sort: 'id', dir: 'asc', filter: '', page: 1 };
  var filterBox = document.getElementById('filter');
  var body = table.tBodies[0];

  function readFragment() {
    var next = { sort: 'id', dir: 'asc', filter: '', page: 1 };
    location.hash.replace(/^#/, '').split('&').forEach(function (part) {
      var at = part.indexOf('=');
      if (at < 0) return;
      var name = part.slice(0, at);
      var value;
      try { value = decodeURIComponent(part.slice(at + 1).replace(/\+/g, ' ')); } catch (e) { return; }
      if (name === 'sort') {
        var pieces = value.split(':');
        if (columnIndex.hasOwnProperty(pieces[0])) next.sort = pieces[0];
        next.dir = pieces[1] === 'desc' ? 'desc' : 'asc';
      } else if (name === 'filter') {
        next.filter = value;
      } else if (name === 'page') {
        next.page = Math.max(1, parseInt(value, 10) || 1);
      }
    });
    state = next;
  }

  function writeFragment() {
    var parts = [];
    if (state.sort !== 'id' || state.dir !== 'asc') parts.push('sort=' + state.sort + ':' + state.dir);
    if (state.filter) parts.push('filter=' + encodeURIComponent(state.filter));
    if (state.page > 1) parts.push('page=' + state.page);
    var fragment = parts.length ? '#' + parts.join('&') : location.pathname + location.search;
    if (location.hash === (parts.length ? fragment : '')) return;
    try {
      history.replaceState(null, '', fragment);
    } catch (e) {
      location.hash = parts.join('&');
    }
  }

  // One test per filter word; a row must pass all.
  function parseFilter(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean).map(function (word) {
      var at = word.indexOf(':');
      var key = at > 0 ? word.slice(0, at) : '';
      if (!columnIndex.hasOwnProperty(key)) {
        return function (i) { return lowered[i].some(function (cell) { return cell.indexOf(word) >= 0; }); };
      }
      var column = columnIndex[key];
      var wanted = word.slice(at + 1);
      var bound = parseFloat(wanted.slice(1));
      if (numeric[column] && (wanted[0] === '>' || wanted[0] === '<') && !isNaN(bound)) {
        var above = wanted[0] === '>';
        return function (i) { return above ? rows[i][column] > bound : rows[i][column] < bound; };
      }
      return function (i) { return lowered[i][column].indexOf(wanted) >= 0; };
    });
  }

  function view() {
    var tests = parseFilter(state.filter);
    var picked = [];
    for (var i = 0; i < rows.length; i++) {
      if (tests.every(function (test) { return test(i); })) picked.push(i);
    }
    var column = columnIndex[state.sort];
    var sign = state.dir === 'desc' ? -1 : 1;
    var idColumn = columnIndex.id;
    picked.sort(function (a, b) {
      var x = rows[a][column];
      var y = rows[b][column];
      var order = numeric[column] ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? sign * order : rows[a][idColumn] - rows[b][idColumn];
    });
    return picked;
  }

  function cell(row, column) {
    var td = document.createElement('td');
    var value = row[column.index];
    if (numeric[column.index]) {
      td.className = value === 0 ? 'num zero' : 'num';
      td.textContent = value.toLocaleString('en-US');
    } else {
      td.textContent = value;
      td.title = value;
      if (column.key === 'client' || column.key === 'server') td.className = 'addr';
    }
    var reason = row[columnIndex.stop_reason];
    if (column.key === 'walk' && reason) {
      td.title = reason;
      var span = document.createElement('span');
      span.className = 'reason';
      span.textContent = reason;
      td.appendChild(span);
    }
    return td;
  }

  function render() {
    var picked = view();
    var pages = Math.max(1, Math.ceil(picked.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    var fragment = document.createDocumentFragment();
    picked.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE).forEach(function (i) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-id', String(rows[i][columnIndex.id]));
      columns.forEach(function (column) { tr.appendChild(cell(rows[i], column)); });
      fragment.appendChild(tr);
    });
    body.textContent = '';
    body.appendChild(fragment);
    columns.forEach(function (column) {
      var sorted = column.key === state.sort;
      column.th.classList.toggle('sorted-asc', sorted && state.dir === 'asc');
      column.th.classList.toggle('sorted-desc', sorted && state.dir === 'desc');
      column.th.setAttribute('aria-sort', sorted ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    });
    document.getElementById('row-count').textContent =
      picked.length + ' of ' + rows.length + ' connections';
    document.getElementById('page-info').textContent = 'page ' + state.page + ' of ' + pages;
    document.getElementById('prev').disabled = state.page <= 1;
    document.getElementById('next').disabled = state.page >= pages;
    if (filterBox.value !== state.filter) filterBox.value = state.filter;
    writeFragment();
  }

  columns.forEach(function (column) {
    column.th.addEventListener('click', function () {
      state.dir = state.sort === column.key && state.dir === 'asc' ? 'desc' : 'asc';
      state.sort = column.key;
      state.page = 1;
      render();
    });
  });
  filterBox.addEventListener('input', function () {
    state.filter = filterBox.value;
    state.page = 1;
    render();
  });
  document.getElementById('prev').addEventListener('click', function () { state.page -= 1; render(); });
  document.getElementById('next').addEventListener('click', function () { state.page += 1; render(); });
  window.addEventListener('hashchange', function () { readFragment(); render(); });

  readFragment();
  render();
})();

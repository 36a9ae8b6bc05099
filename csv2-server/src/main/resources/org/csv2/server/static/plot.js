// The plot page: reads /api/v1/series and draws it with uPlot (zoom by dragging, legend toggles).
(function () {
  var el = document.getElementById('plot');
  if (!el || typeof uPlot === 'undefined') { return; }
  var base = el.getAttribute('data-query');
  var span = document.getElementById('span');
  var csv = document.getElementById('csv');
  var chart = null;
  var colors = ['#1f5fa8', '#c0392b', '#1d7a3a', '#a86a00', '#6c3fa8', '#0e7c86', '#7f8c8d', '#d35400', '#2c3e50', '#8e44ad'];

  // "now" is the engine's clock (a simulation runs ahead of the wall clock), moved on by the wall
  var serverNow = parseInt(el.getAttribute('data-now'), 10) || Math.floor(Date.now() / 1000);
  var loadedAt = Date.now();
  var range = null;

  function load() {
    var now = serverNow + Math.floor((Date.now() - loadedAt) / 1000);
    var from = now - parseInt(span.value, 10);
    var q = base + '&from=' + from + '&to=' + (now + 1);
    csv.setAttribute('href', '/api/v1/series?' + q + '&format=csv');
    fetch('/api/v1/series?' + q, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (series) { range = [from, now]; draw(series); })
      .catch(function (e) { el.textContent = 'Cannot load the series: ' + e.message; });
  }

  function draw(series) {
    var times = {};
    series.forEach(function (s) { s.at.forEach(function (t) { times[t] = true; }); });
    // each figure holds until its next sample: the plot runs to the end of the range
    times[range[1]] = true;
    var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
    var data = [xs];
    var opts = { width: Math.max(400, el.clientWidth - 20), height: 400, series: [{}], axes: [{}, {}], scales: { x: { time: true, range: function (u, min, max) { return u.status === 0 ? [range[0], range[1]] : [min, max]; } } } };
    series.forEach(function (s, i) {
      var byTime = {};
      s.at.forEach(function (t, j) { byTime[t] = s.value[j]; });
      // a figure holds its value until the next sample (the engine writes on change)
      var last = null;
      data.push(xs.map(function (t) { if (t in byTime) { last = byTime[t]; } return last; }));
      var labels = Object.keys(s.labels).map(function (k) { return s.labels[k]; }).join(' ');
      opts.series.push({ label: s.metric + (labels ? ' ' + labels : ''), stroke: colors[i % colors.length], width: 1.5, paths: uPlot.paths.stepped({ align: 1 }) });
    });
    if (chart) { chart.destroy(); }
    el.textContent = '';
    if (series.length === 0) { el.textContent = 'No samples in this range.'; return; }
    chart = new uPlot(opts, data, el);
  }

  span.addEventListener('change', load);
  window.addEventListener('resize', function () { if (chart) { chart.setSize({ width: Math.max(400, el.clientWidth - 20), height: 400 }); } });
  load();
})();

// The plot page: reads /api/v1/series and draws it with uPlot (several series, drag to zoom,
// double-click to zoom out, legend toggles). Times are UTC, as on every other page.
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

  function utc(ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); }

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

  // tick labels in 24-hour UTC time; the date under the first tick and wherever the day changes
  var hhmm = uPlot.fmtDate('{HH}:{mm}');
  var hhmmss = uPlot.fmtDate('{HH}:{mm}:{ss}');
  var day = uPlot.fmtDate('{YYYY}-{MM}-{DD}');
  function ticks(u, splits, axis, space, incr) {
    var prev = null;
    return splits.map(function (t) {
      var d = utc(t);
      var when = incr < 60 ? hhmmss(d) : hhmm(d);
      var today = day(d);
      var label = incr >= 86400 ? today : (today !== prev ? when + '\n' + today : when);
      prev = today;
      return label;
    });
  }

  function name(s) {
    var labels = Object.keys(s.labels).filter(function (k) { return k !== 'group' && k !== 'cloud'; })
      .map(function (k) { return s.labels[k]; }).join(' ');
    return s.metric.replace(/^status\./, '') + (labels ? ' ' + labels : '');
  }

  function draw(series) {
    if (chart) { chart.destroy(); chart = null; }
    el.textContent = '';
    if (series.length === 0) { el.textContent = 'No samples in this range.'; return; }
    // the x values: every sample time, and both ends of the range, so that one or two samples
    // still draw a line across the range (a figure holds its value until its next sample)
    // a series younger than the range is drawn from its first sample (plus a margin), not
    // squeezed against the right edge of an empty range
    var first = range[1];
    series.forEach(function (s) { if (s.at.length > 0) { first = Math.min(first, s.at[0]); } });
    var start = Math.max(range[0], first - Math.max(60, Math.round((range[1] - first) * 0.05)));
    var times = {};
    times[start] = true;
    times[range[1]] = true;
    series.forEach(function (s) { s.at.forEach(function (t) { times[t] = true; }); });
    var xs = Object.keys(times).map(Number).sort(function (a, b) { return a - b; });
    var data = [xs];
    var few = series.every(function (s) { return s.at.length <= 3; });
    var opts = {
      width: Math.max(400, el.clientWidth - 20), height: 400,
      tzDate: utc,
      series: [{ label: 'time (UTC)', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' }],
      axes: [{ label: 'UTC', space: 90, values: ticks }, { size: 60 }],
      scales: { x: { time: true, range: function (u, min, max) { return min === max ? [start, range[1]] : [min, max]; } },
                y: { range: function (u, min, max) { if (min === max) { return [Math.min(0, min), max === 0 ? 1 : max * 1.1]; } return [Math.min(0, min), max * 1.05]; } } }
    };
    series.forEach(function (s, i) {
      var byTime = {};
      s.at.forEach(function (t, j) { byTime[t] = s.value[j]; });
      var last = null;
      data.push(xs.map(function (t) { if (t in byTime) { last = byTime[t]; } return last; }));
      opts.series.push({ label: name(s), stroke: colors[i % colors.length], width: 1.5,
        points: { show: few, size: 6 }, paths: uPlot.paths.stepped({ align: 1 }) });
    });
    chart = new uPlot(opts, data, el);
  }

  span.addEventListener('change', load);
  window.addEventListener('resize', function () { if (chart) { chart.setSize({ width: Math.max(400, el.clientWidth - 20), height: 400 }); } });
  load();
})();

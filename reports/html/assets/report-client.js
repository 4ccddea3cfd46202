// Draws every <canvas data-chart="id"> of a mailstorm report with Chart.js, from the JSON in
// <script id="report-data">. Runs from file:// with no network; the chaos timeline (fault
// bands, failure and degradation markers) is drawn by the small plugin below.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var specs = {};
  data.charts.forEach(function (c) { specs[c.id] = c; });
  var timelines = data.timelines || {};

  function duration(ms) {
    if (ms === null || ms === undefined || !isFinite(ms)) return '';
    var sign = ms < 0 ? '-' : '';
    ms = Math.abs(ms);
    if (ms < 10) return sign + (Math.round(ms * 10) / 10) + ' ms';
    if (ms < 1000) return sign + Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return sign + (Math.round(s * 10) / 10) + ' s';
    var m = Math.floor(s / 60), rest = Math.round(s % 60);
    if (m < 60) return sign + m + 'm' + (rest ? rest + 's' : '');
    var h = Math.floor(m / 60);
    return sign + h + 'h' + (m % 60 ? (m % 60) + 'm' : '');
  }
  function number(v) { return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-GB') : String(Math.round(v * 100) / 100); }
  function format(unit, v) {
    if (v === null || v === undefined) return '';
    if (unit === 'ms') return duration(v);
    if (unit === 's') return duration(v * 1000);
    if (unit === 'percent') return number(v) + '%';
    if (unit === 'per_s') return number(v) + '/s';
    return number(v);
  }
  function clock(s) { var m = Math.floor(s / 60), r = Math.round(s % 60); return m + ':' + (r < 10 ? '0' : '') + r; }

  var BAND = { down: 'rgba(220, 38, 38, 0.13)', fault: 'rgba(245, 158, 11, 0.16)' };
  var MARK = { failure: '#dc2626', degradation: '#d97706', recovery: '#059669' };

  function label(ctx, text, x, y, color, right) {
    ctx.font = '11px system-ui, sans-serif';
    var w = ctx.measureText(text).width;
    // Flip to the left of the line when the label would run off the plot.
    if (right !== undefined && x + w + 8 > right) x = x - w - 8;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(x + 2, y - 1, w + 4, 13);
    ctx.fillStyle = color;
    ctx.fillText(text, x + 4, y + 9);
    return { x: x + 2, y: y - 1, w: w + 4, h: 13 };
  }

  // Where a marker label fits: the first row (14 px apart) where it overlaps no label
  // already placed; null when no row is free (the list under the chart still names it).
  function placeLabel(ctx, text, px, area, placed) {
    ctx.font = '11px system-ui, sans-serif';
    var w = ctx.measureText(text).width + 4;
    var x = px + w + 8 > area.right ? px - w - 6 : px + 2;
    if (x < area.left) x = area.left;
    for (var row = 0; row * 14 + 15 < (area.bottom - area.top) / 2; row++) {
      var y = area.top + 1 + row * 14;
      var free = placed.every(function (b) { return b.y !== y || x + w <= b.x || b.x + b.w <= x; });
      if (free) return { x: x, y: y, w: w, h: 13 };
    }
    return null;
  }

  var timelinePlugin = {
    id: 'mailstormTimeline',
    beforeDatasetsDraw: function (chart, args, opts) {
      var tl = opts.timeline, area = chart.chartArea, x = chart.scales.x, ctx = chart.ctx;
      if (!tl) return;
      ctx.save();
      ctx.beginPath(); ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top); ctx.clip();
      tl.bands.forEach(function (b) {
        var x0 = x.getPixelForValue(b.start), x1 = x.getPixelForValue(b.end);
        ctx.fillStyle = b.down ? BAND.down : BAND.fault;
        ctx.fillRect(x0, area.top, Math.max(1, x1 - x0), area.bottom - area.top);
        if (x1 - x0 > 50) label(ctx, b.label, x0, area.bottom - 16, b.down ? '#991b1b' : '#92400e', area.right);
      });
      ctx.restore();
    },
    afterDatasetsDraw: function (chart, args, opts) {
      var area = chart.chartArea, x = chart.scales.x, y = chart.scales.y, ctx = chart.ctx;
      ctx.save();
      ctx.beginPath(); ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top); ctx.clip();
      var markers = opts.timeline ? opts.timeline.markers : [];
      var placed = [];
      markers.forEach(function (m) {
        var px = x.getPixelForValue(m.at), color = MARK[m.kind] || '#4b5563';
        ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.setLineDash(m.kind === 'degradation' ? [5, 3] : []);
        ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
        var box = placeLabel(ctx, m.label, px, area, placed);
        if (box) { placed.push(box); label(ctx, m.label, box.x - 2, box.y + 1, color); }
      });
      // kept on the canvas so tests can check that no two labels overlap
      chart.canvas.setAttribute('data-marker-labels', JSON.stringify(placed.map(function (b) { return [Math.round(b.x), b.y, Math.round(b.w), b.h]; })));
      (opts.guides || []).forEach(function (g, gi) {
        ctx.strokeStyle = g.color; ctx.lineWidth = 1; ctx.setLineDash([2, 3]);
        ctx.beginPath();
        if (g.x !== undefined) {
          var gx = x.getPixelForValue(g.x);
          ctx.moveTo(gx, area.top); ctx.lineTo(gx, area.bottom); ctx.stroke();
          label(ctx, g.label, gx, area.top + 44 + (gi % 2) * 14, g.color, area.right);
        } else if (g.y !== undefined) {
          var gy = y.getPixelForValue(g.y);
          ctx.moveTo(area.left, gy); ctx.lineTo(area.right, gy); ctx.stroke();
          label(ctx, g.label, area.left, gy - 14, g.color);
        }
      });
      ctx.restore();
    },
  };

  function config(spec, timeline) {
    var line = spec.kind === 'line';
    var datasets = spec.datasets.map(function (d) {
      return {
        label: d.label, data: d.data, borderColor: d.color, backgroundColor: line ? d.color + '22' : d.color,
        borderDash: d.dashed ? [6, 4] : [], borderWidth: line ? 1.6 : 0, pointRadius: line && d.data.length < 3 ? 3 : 0, pointHitRadius: 6,
        fill: !!d.fill, stepped: d.stepped ? 'before' : false, spanGaps: true, yAxisID: d.axis === 'right' ? 'y1' : 'y',
      };
    });
    var yMaxData = 0;
    (spec.guides || []).forEach(function (g) { if (g.y !== undefined) yMaxData = Math.max(yMaxData, g.y * 1.08); });
    var scales = {
      x: line
        ? { type: 'linear', min: 0, max: spec.xMax, title: { display: true, text: spec.xTitle || 'time since start (m:ss)' }, ticks: { callback: function (v) { return spec.xHours ? (v / 3600).toFixed(1) + ' h' : clock(v); }, maxTicksLimit: 10 } }
        : { stacked: !!spec.stacked },
      y: {
        beginAtZero: spec.unit !== 'percent', stacked: !line && !!spec.stacked, suggestedMax: Math.max(spec.yMax || 0, yMaxData) || undefined,
        title: { display: true, text: spec.yLabel },
        ticks: { callback: function (v) { return format(spec.unit, v); }, maxTicksLimit: 7 },
      },
    };
    // a second axis for lines an order of magnitude apart from the left ones (story charts)
    if (spec.datasets.some(function (d) { return d.axis === 'right'; })) {
      scales.y1 = { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: spec.y1Label || '' },
        ticks: { callback: function (v) { return format(spec.y1Unit || spec.unit, v); }, maxTicksLimit: 7 } };
    }
    return {
      type: spec.kind,
      data: line ? { datasets: datasets } : { labels: spec.labels, datasets: datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        // points are already {x, y}; skipping parsing lets long runs be decimated
        parsing: line ? false : undefined,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: scales,
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 2 } },
          tooltip: { callbacks: {
            title: function (items) { return line && items[0] ? 'at ' + clock(items[0].parsed.x) : (items[0] ? items[0].label : ''); },
            label: function (item) { return item.dataset.label + ': ' + format(spec.unit, item.parsed.y); },
          } },
          mailstormTimeline: { timeline: spec.timeline ? timeline : null, guides: spec.guides },
          decimation: { enabled: line, algorithm: 'min-max' },
        },
      },
      plugins: [timelinePlugin],
    };
  }

  var drawn = [];
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var spec = specs[canvas.getAttribute('data-chart')];
    if (!spec) return;
    var timeline = timelines[canvas.getAttribute('data-timeline') || 'run'];
    drawn.push(new Chart(canvas, config(spec, timeline)));
  });
  // charts in a closed group have no size until it opens: size and draw them then
  document.querySelectorAll('details').forEach(function (d) {
    d.addEventListener('toggle', function () {
      if (d.open) drawn.forEach(function (c) { if (d.contains(c.canvas)) c.resize(); });
    });
  });
  // a printed report shows every group
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
    drawn.forEach(function (c) { c.resize(); });
  });
  document.body.setAttribute('data-charts-drawn', String(drawn.length));
})();

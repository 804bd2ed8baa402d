// The planner's map: districts coloured by coverage or per-thousand floor area, facilities by
// family, service areas and uncovered population, a sortable district table, all from the
// service's own endpoints (relative URLs, so the page works behind any prefix and offline).
(function () {
  'use strict';

  // ---------------------------------------------------------------- labels (zh / en)
  const I18N = {
    zh: {
      title: '上海社区生活圈设施规划',
      analysis: '分析设置', metric: '分级着色', metric_coverage60: '60岁以上人口覆盖率',
      metric_coverage: '常住人口覆盖率', metric_per_thousand: '千人建筑面积 (m²/千人)',
      family: '设施类别', type: '设施类型', profile: '标准方案', minutes: '步行分钟',
      family_eldercare: '养老服务', family_meal: '助餐服务', family_columbarium: '公益性骨灰堂',
      all_types: '全部类型', layers: '图层', layer_districts: '区界与分级着色',
      layer_service_areas: '服务范围', layer_gaps: '未覆盖人口',
      districts: '各区指标', table_hint: '点击表头排序 · 点击行定位',
      col_district: '区', col_residents: '常住人口', col_coverage: '覆盖率', col_coverage60: '60+覆盖率',
      col_facilities: '设施数', col_per_thousand: '千人指标', col_target: '目标', city: '全市',
      footnote: '覆盖率按人口点计算（步行距离 = 直线距离 × 绕行系数），服务范围面仅用于展示。底图为区界，无需联网。',
      loading: '加载中…', kpi_districts: '区', kpi_facilities: '设施（全部类别）',
      kpi_coverage60: '60岁以上覆盖率', kpi_coverage: '常住人口覆盖率', kpi_uncovered: '未覆盖60岁以上人口',
      kpi_uncovered_all: '未覆盖人口',
      residents: '常住人口', residents60: '60岁以上', covered: '覆盖人口', covered60: '覆盖60岁以上',
      coverage: '覆盖率', coverage60: '60岁以上覆盖率', facilities_sel: '所选设施', floor_area: '建筑面积',
      per_thousand: '千人指标', target: '目标', surplus: '盈余 / 缺口', meets: '达标', yes: '是', no: '否',
      rank: '排名', status: '状态', open: '运营', planned: '规划', closed: '关闭', beds: '床位',
      meals: '供餐能力 (餐/日)', address: '地址', source: '来源', street: '街镇代码', district_code: '区代码',
      walk: '步行', radius: '直线半径', threshold: '阈值', legend_no_data: '无数据',
      legend_open: '运营中', legend_planned: '规划中', legend_service: '服务范围',
      legend_gap: '未覆盖人口（点大小 = 人口）', of_target: '目标的', target_note: '目标：',
      citywide_mean: '全市均值', error_partial: '部分数据未能加载：', no_leaflet:
        '缺少地图库：请先运行 scripts/setup-web.sh',
      uncovered_cell: '未覆盖人口点', distance: '最近设施距离', population: '人口', default_minutes: '默认',
      area_ratio: '面积覆盖率', m2: 'm²', people: '人', per_thousand_unit: 'm²/千人',
    },
    en: {
      title: 'Shanghai life-circle facility planning',
      analysis: 'Analysis', metric: 'Colour districts by', metric_coverage60: 'Coverage of residents 60+',
      metric_coverage: 'Coverage of all residents', metric_per_thousand: 'Floor area per 1000 residents',
      family: 'Facility family', type: 'Facility type', profile: 'Standards profile', minutes: 'Walk (min)',
      family_eldercare: 'Eldercare', family_meal: 'Meal sites', family_columbarium: 'Public columbaria',
      all_types: 'All types', layers: 'Layers', layer_districts: 'Districts (choropleth)',
      layer_service_areas: 'Service areas', layer_gaps: 'Uncovered residents',
      districts: 'Districts', table_hint: 'click a header to sort, a row to zoom',
      col_district: 'District', col_residents: 'Residents', col_coverage: 'Coverage', col_coverage60: 'Cov. 60+',
      col_facilities: 'Facilities', col_per_thousand: 'm²/1000', col_target: 'Target', city: 'City',
      footnote: 'Coverage counts residents at demand points (walk = straight line × detour factor); ' +
        'service-area polygons are for display. The base map is the district outlines: no tiles, works offline.',
      loading: 'Loading…', kpi_districts: 'districts', kpi_facilities: 'facilities (all families)',
      kpi_coverage60: 'coverage of 60+', kpi_coverage: 'coverage of residents', kpi_uncovered: 'uncovered residents 60+',
      kpi_uncovered_all: 'uncovered residents',
      residents: 'Residents', residents60: 'Residents 60+', covered: 'Covered', covered60: 'Covered 60+',
      coverage: 'Coverage', coverage60: 'Coverage 60+', facilities_sel: 'Selected facilities',
      floor_area: 'Floor area', per_thousand: 'Per 1000 residents', target: 'Target', surplus: 'Surplus / deficit',
      meets: 'Meets target', yes: 'yes', no: 'no', rank: 'Rank', status: 'Status', open: 'open',
      planned: 'planned', closed: 'closed', beds: 'Beds', meals: 'Meals per day', address: 'Address',
      source: 'Source', street: 'Street/town code', district_code: 'District code', walk: 'walk',
      radius: 'straight-line radius', threshold: 'Threshold', legend_no_data: 'no data',
      legend_open: 'open', legend_planned: 'planned', legend_service: 'service area',
      legend_gap: 'uncovered residents (dot size = people)', of_target: 'of target', target_note: 'target: ',
      citywide_mean: 'city mean', error_partial: 'Some data could not be loaded: ', no_leaflet:
        'The map library is missing: run scripts/setup-web.sh',
      uncovered_cell: 'Uncovered demand point', distance: 'Nearest facility', population: 'Residents',
      default_minutes: 'default', area_ratio: 'Area covered', m2: 'm²', people: '', per_thousand_unit: 'm²/1000',
    },
  };
  const TYPE_NAMES = {
    comprehensive_center: ['社区综合为老服务中心', 'Comprehensive eldercare center'],
    small_nursing_home: ['长者照护之家', 'Small nursing home'],
    nursing_home: ['养老机构', 'Nursing home'],
    day_care: ['日间照料中心', 'Day-care center'],
    doorstep_station: ['家门口养老服务站', 'Doorstep station'],
    canteen: ['社区长者食堂', 'Elder canteen'],
    meal_point: ['老年助餐点', 'Meal point'],
    public_columbarium: ['公益性骨灰堂', 'Public columbarium'],
  };
  const TYPE_ORDER = Object.keys(TYPE_NAMES);
  // District names in English (the data carries the official Chinese names).
  const DISTRICT_EN = {
    310101: 'Huangpu', 310104: 'Xuhui', 310105: 'Changning', 310106: "Jing'an", 310107: 'Putuo',
    310109: 'Hongkou', 310110: 'Yangpu', 310112: 'Minhang', 310113: 'Baoshan', 310114: 'Jiading',
    310115: 'Pudong', 310116: 'Jinshan', 310117: 'Songjiang', 310118: 'Qingpu', 310120: 'Fengxian',
    310151: 'Chongming',
  };
  const FAMILIES = ['eldercare', 'meal', 'columbarium'];
  const FAMILY_COLOR = { eldercare: '#c0392b', meal: '#e08a00', columbarium: '#5b4b9a' };
  const DEFAULT_TYPE = { eldercare: 'comprehensive_center', meal: '', columbarium: '' };

  // Sequential classes for coverage shares, diverging classes around a per-thousand target.
  // Unequal coverage classes: suburban shares sit far below central ones, and equal 20% steps
  // would paint most of the city in one colour.
  const COVERAGE_BREAKS = [0.1, 0.25, 0.5, 0.75];
  const COVERAGE_COLORS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'];
  const TARGET_BREAKS = [0.5, 0.8, 1.0, 1.5];  // value / target
  const TARGET_COLORS = ['#d7191c', '#fdae61', '#fee08b', '#a6d96a', '#1a9641'];
  const PLAIN_COLORS = ['#feedde', '#fdbe85', '#fd8d3c', '#e6550d', '#a63603'];
  const NO_DATA = '#cfd6dc';

  // ---------------------------------------------------------------- state
  const state = {
    lang: 'zh', metric: 'coverage60', family: 'eldercare', type: 'comprehensive_center',
    profile: '', minutes: '', sort: { key: 'ratio', dir: 'asc' }, selected: null,
  };
  const data = {
    title: '', districts: [], facilities: [], facilitiesMatched: null, standards: null,
    coverage: null, perThousand: null, serviceAreas: null, gaps: null, errors: [],
  };
  const ui = {};
  let refreshToken = 0;

  const t = (key) => (I18N[state.lang][key] !== undefined ? I18N[state.lang][key] : key);
  const typeName = (type) => (TYPE_NAMES[type] ? TYPE_NAMES[type][state.lang === 'zh' ? 0 : 1] : type);
  const districtName = (code, name) => (state.lang === 'en' && DISTRICT_EN[code] ? DISTRICT_EN[code] : name);
  const $ = (id) => document.getElementById(id);
  const esc = (s) => String(s === undefined || s === null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const isNum = (v) => typeof v === 'number' && isFinite(v);
  const locale = () => (state.lang === 'zh' ? 'zh-CN' : 'en-GB');
  const fmtInt = (v) => (isNum(v) ? Math.round(v).toLocaleString(locale()) : '–');
  const fmt1 = (v) => (isNum(v) ? v.toLocaleString(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }) : '–');
  const fmtPct = (v) => (isNum(v) ? (100 * v).toFixed(1) + '%' : '–');
  const fmtPeople = (v) => {
    if (!isNum(v)) return '–';
    if (state.lang === 'zh' && Math.abs(v) >= 10000) return (v / 10000).toFixed(1) + '万';
    if (state.lang === 'en' && Math.abs(v) >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (state.lang === 'en' && Math.abs(v) >= 1e4) return (v / 1e3).toFixed(0) + 'k';
    return fmtInt(v);
  };

  // ---------------------------------------------------------------- HTTP
  const ROOT = new URL('.', window.location.href);  // /map -> the service root
  function apiUrl(path, params) {
    const u = new URL(path, ROOT);
    Object.entries(params || {}).forEach(([k, v]) => {
      if (v !== '' && v !== null && v !== undefined) u.searchParams.set(k, v);
    });
    return u.toString();
  }
  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json, application/geo+json' } });
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!res.ok) {
      const path = new URL(url).pathname;
      const detail = body && (body.detail || body.title) ? `${body.code || res.status}: ${body.detail || body.title}` : res.status;
      throw new Error(`${path} ${res.status} (${detail})`);
    }
    return body;
  }
  // Every page of a collection, following the `next` links the server sends.
  async function getAllItems(collection, params) {
    let url = apiUrl(`collections/${collection}/items`, Object.assign({ limit: 10000 }, params));
    const features = [];
    let matched = null;
    for (let guard = 0; url && guard < 1000; ++guard) {
      const page = await getJson(url);
      if (matched === null && isNum(page.numberMatched)) matched = page.numberMatched;
      features.push(...(page.features || []));
      const next = (page.links || []).find((l) => l.rel === 'next');
      url = next ? next.href : null;
    }
    return { features, matched: matched === null ? features.length : matched };
  }

  // ---------------------------------------------------------------- map
  let map; const layers = {};
  function setupMap() {
    map = L.map('map', { preferCanvas: true, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 7, maxZoom: 18,
      attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution('lifecircle · Leaflet');
    // Panes keep the drawing order whatever order the layers arrive in.
    [['districtsPane', 400], ['gapsPane', 410], ['servicePane', 420], ['facilitiesPane', 450]]
      .forEach(([name, z]) => { map.createPane(name).style.zIndex = z; });
    layers.districts = L.featureGroup([], { pane: 'districtsPane' }).addTo(map);
    layers.labels = L.layerGroup().addTo(map);
    layers.service = L.featureGroup().addTo(map);
    layers.gaps = L.featureGroup();  // off until asked for: a citywide gap layer is large
    layers.gapCells = L.featureGroup();
    FAMILIES.forEach((f) => { layers[f] = L.featureGroup().addTo(map); });
    L.control.scale({ imperial: false, maxWidth: 160, position: 'bottomleft' }).addTo(map);
    ui.legend = L.control({ position: 'bottomright' });
    ui.legend.onAdd = () => { const d = L.DomUtil.create('div', 'legend'); ui.legendDiv = d; return d; };
    ui.legend.addTo(map);
    ui.titleCtl = L.control({ position: 'topleft' });
    ui.titleCtl.onAdd = () => { const d = L.DomUtil.create('div', 'map-title'); ui.titleDiv = d; return d; };
    ui.titleCtl.addTo(map);
    map.setView([31.2, 121.45], 9);
    map.on('zoomend', () => { updateLabels(); restyleFacilities(); showGapCells(); });
    window.lifecircleMap = map;  // for the browser test and the console
  }

  // Area-weighted centroid of the largest outer ring: a label point inside compact districts.
  function labelPoint(geometry) {
    const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    let best = null; let bestArea = -1;
    polys.forEach((p) => {
      const ring = p[0]; let a = 0; let cx = 0; let cy = 0;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
        a += f; cx += (ring[j][0] + ring[i][0]) * f; cy += (ring[j][1] + ring[i][1]) * f;
      }
      if (Math.abs(a) > bestArea && a !== 0) { bestArea = Math.abs(a); best = [cy / (3 * a), cx / (3 * a)]; }
    });
    return best;
  }

  // ---------------------------------------------------------------- districts and choropleth
  function districtRow(code) {
    const d = data.districts.find((x) => x.code === code);
    const cov = data.coverage ? (data.coverage.units || []).find((u) => u.code === code) : null;
    const pt = data.perThousand ? (data.perThousand.rows || []).find((r) => r.code === code) : null;
    const ratio = cov ? (state.metric === 'coverage' ? cov.ratio : (isNum(cov.ratio_60plus) ? cov.ratio_60plus : cov.ratio)) : null;
    return {
      code, name: d ? d.name : code, residents: d && isNum(d.population) ? d.population : (cov ? cov.residents : null),
      residents60: d && isNum(d.population_60plus) ? d.population_60plus : (cov ? cov.residents_60plus : null),
      cov, pt, ratio, facilities: cov ? cov.facilities : null,
      perThousand: pt ? pt.per_thousand_m2 : null, target: pt ? pt.target_m2 : null,
    };
  }
  function metricValue(row) {
    if (state.metric === 'perThousand') return row.perThousand;
    return row.ratio;
  }
  function classify(row) {
    const v = metricValue(row);
    if (!isNum(v)) return NO_DATA;
    if (state.metric !== 'perThousand') return COVERAGE_COLORS[bin(v, COVERAGE_BREAKS)];
    if (isNum(row.target) && row.target > 0) return TARGET_COLORS[bin(v / row.target, TARGET_BREAKS)];
    return PLAIN_COLORS[bin(v, plainBreaks())];
  }
  function bin(v, breaks) { let i = 0; while (i < breaks.length && v >= breaks[i]) ++i; return i; }
  // Quantile breaks of the districts' values, for a family without a published target.
  function plainBreaks() {
    const vals = data.districts.map((d) => districtRow(d.code).perThousand).filter(isNum).sort((a, b) => a - b);
    if (vals.length < 2) return [1, 2, 3, 4];
    const q = (p) => vals[Math.min(vals.length - 1, Math.floor(p * vals.length))];
    const br = [q(0.2), q(0.4), q(0.6), q(0.8)];
    for (let i = 1; i < br.length; ++i) if (br[i] <= br[i - 1]) br[i] = br[i - 1] + 1e-9;
    return br;
  }
  function hasTarget() { return data.perThousand && data.perThousand.has_target; }

  function drawDistricts() {
    layers.districts.clearLayers(); layers.labels.clearLayers();
    data.districts.forEach((d) => {
      if (!d.geometry) return;
      const layer = L.geoJSON({ type: 'Feature', geometry: d.geometry, properties: {} }, {
        pane: 'districtsPane',
        style: () => ({ color: '#ffffff', weight: 1.5, fillOpacity: 0.78, fillColor: NO_DATA }),
      });
      layer.code = d.code;
      layer.on('click', (e) => { selectDistrict(d.code, false, e.latlng); });
      layer.on('mouseover', () => { if (state.selected !== d.code) layer.setStyle({ weight: 2.5, color: '#34495e' }); });
      layer.on('mouseout', () => { if (state.selected !== d.code) layer.setStyle({ weight: 1.5, color: '#ffffff' }); });
      layers.districts.addLayer(layer);
      d.layer = layer;
      const p = labelPoint(d.geometry);
      if (p) {
        d.label = L.tooltip({ permanent: true, direction: 'center', className: 'district-label', interactive: false })
          .setLatLng(p).setContent(esc(districtName(d.code, d.name)));
        d.labelPoint = p;
      }
    });
  }
  function styleDistricts() {
    data.districts.forEach((d) => {
      if (!d.layer) return;
      const sel = state.selected === d.code;
      d.layer.setStyle({ fillColor: classify(districtRow(d.code)), color: sel ? '#12324a' : '#ffffff', weight: sel ? 3 : 1.5 });
      if (sel) d.layer.bringToFront();
    });
  }
  // A label only where the district is wide enough on screen to hold it.
  function updateLabels() {
    if (!map) return;
    layers.labels.clearLayers();
    if (!$('layer-districts').checked) return;
    data.districts.forEach((d) => {
      if (!d.label || !d.layer) return;
      const b = d.layer.getBounds();
      const w = map.latLngToContainerPoint(b.getNorthEast()).x - map.latLngToContainerPoint(b.getSouthWest()).x;
      d.label.setContent(esc(districtName(d.code, d.name)));
      if (w > 55) layers.labels.addLayer(d.label);
    });
  }

  // ---------------------------------------------------------------- facilities
  function facilityStyle(p) {
    const z = map ? map.getZoom() : 10;
    const focus = p.family === state.family && (!state.type || p.type === state.type);
    const base = z >= 14 ? 7 : z >= 12 ? 5 : z >= 10.5 ? 3.8 : 3;
    const color = p.status === 'closed' ? '#7f8c8d' : FAMILY_COLOR[p.family] || '#333';
    const planned = p.status === 'planned';
    // The selected family/type stands out; the others stay as context, small and without halo.
    if (focus) {
      return { pane: 'facilitiesPane', radius: base + 0.5, stroke: true, color: planned ? color : '#ffffff',
        weight: planned ? 2 : 1, opacity: 1, fillColor: planned ? '#ffffff' : color, fillOpacity: 0.95 };
    }
    return { pane: 'facilitiesPane', radius: Math.max(1.4, base * 0.5), stroke: planned, color, weight: 1,
      opacity: 0.5, fillColor: planned ? '#ffffff' : color, fillOpacity: planned ? 0.5 : 0.4 };
  }
  function drawFacilities() {
    FAMILIES.forEach((f) => layers[f].clearLayers());
    data.facilities.forEach((feat) => {
      const g = feat.geometry; const p = feat.properties || {};
      if (!g || g.type !== 'Point' || !layers[p.family]) return;
      const m = L.circleMarker([g.coordinates[1], g.coordinates[0]], facilityStyle(p));
      m.props = p;
      m.bindPopup(() => facilityPopup(p));
      layers[p.family].addLayer(m);
    });
    FAMILIES.forEach((f) => {
      $(`count-${f}`).textContent = fmtInt(data.facilities.filter((x) => x.properties && x.properties.family === f).length);
    });
  }
  function restyleFacilities() {
    FAMILIES.forEach((f) => layers[f].eachLayer((m) => m.setStyle(facilityStyle(m.props))));
    FAMILIES.forEach((f) => { if (layers[f]._map) layers[f].eachLayer((m) => { if (m.props.family === state.family) m.bringToFront(); }); });
  }

  // ---------------------------------------------------------------- analysis layers
  function drawServiceAreas() {
    layers.service.clearLayers();
    if (!data.serviceAreas) return;
    L.geoJSON(data.serviceAreas, {
      pane: 'servicePane',
      style: () => ({ color: '#1b7837', weight: 1, opacity: 0.85, fillColor: '#5aae61', fillOpacity: 0.3 }),
      onEachFeature: (f, layer) => {
        const p = f.properties || {};
        layer.bindPopup(`<div class="popup"><h3>${esc(t('legend_service'))}</h3><div class="sub">${esc(typeName(p.type))}</div>
          <table><tr><td>${esc(t('walk'))}</td><td>${fmtInt(p.walk_m)} m</td></tr>
          <tr><td>${esc(t('radius'))}</td><td>${fmtInt(p.radius_m)} m</td></tr>
          <tr><td>${esc(t('facilities_sel'))}</td><td>${fmtInt(p.facilities)}</td></tr>
          <tr><td>${esc(t('floor_area'))}</td><td>${fmt1((p.area_m2 || 0) / 1e6)} km²</td></tr></table></div>`);
      },
    }).addTo(layers.service);
  }
  // Individual uncovered cells only from street level on: citywide they are tens of thousands of
  // dots that hide everything else, and the dissolved area already shows where they are.
  const GAP_CELL_ZOOM = 11;
  function showGapCells() {
    if (!map) return;
    const want = map.getZoom() >= GAP_CELL_ZOOM;
    if (want && !layers.gaps.hasLayer(layers.gapCells)) layers.gaps.addLayer(layers.gapCells);
    if (!want && layers.gaps.hasLayer(layers.gapCells)) layers.gaps.removeLayer(layers.gapCells);
  }
  function drawGaps() {
    layers.gaps.clearLayers(); layers.gapCells.clearLayers();
    $('count-gaps').textContent = '';
    if (!data.gaps) return;
    const feats = data.gaps.features || [];
    const cells = feats.filter((f) => f.properties && f.properties.kind === 'cell' && f.geometry);
    const area = feats.filter((f) => f.properties && f.properties.kind === 'area' && f.geometry);
    L.geoJSON({ type: 'FeatureCollection', features: area }, {
      pane: 'gapsPane', interactive: false,
      style: () => ({ color: '#b10026', weight: 0.6, opacity: 0.6, fillColor: '#e31a1c', fillOpacity: 0.22 }),
    }).addTo(layers.gaps);
    const maxPop = cells.reduce((m, f) => Math.max(m, f.properties.population || 0), 1);
    cells.forEach((f) => {
      const p = f.properties; const c = f.geometry.coordinates;
      const r = 1.5 + 5 * Math.sqrt((p.population || 0) / maxPop);
      const m = L.circleMarker([c[1], c[0]], { pane: 'gapsPane', radius: r, stroke: false, fillColor: '#b10026', fillOpacity: 0.55 });
      m.bindPopup(() => `<div class="popup"><h3>${esc(t('uncovered_cell'))}</h3><div class="sub">${esc(p.id)}</div><table>
        <tr><td>${esc(t('population'))}</td><td>${fmtInt(p.population)}</td></tr>
        <tr><td>${esc(t('residents60'))}</td><td>${fmtInt(p.population_60plus)}</td></tr>
        <tr><td>${esc(t('distance'))}</td><td>${isNum(p.distance_m) ? fmtInt(p.distance_m) + ' m' : '–'}</td></tr>
        <tr><td>${esc(t('district_code'))}</td><td>${esc(p.district_code)}</td></tr></table></div>`);
      layers.gapCells.addLayer(m);
    });
    showGapCells();
    const pop = area.length ? area[0].properties.population : cells.reduce((s, f) => s + (f.properties.population || 0), 0);
    $('count-gaps').textContent = fmtPeople(pop);
  }

  // ---------------------------------------------------------------- popups
  function popupTable(rows) {
    return '<table>' + rows.filter((r) => r).map(([k, v, cls]) =>
      `<tr><td>${esc(k)}</td><td class="${cls || ''}">${v}</td></tr>`).join('') + '</table>';
  }
  function districtPopup(code) {
    const r = districtRow(code); const cov = r.cov; const pt = r.pt;
    const rows = [
      [t('residents'), fmtInt(r.residents)],
      isNum(r.residents60) ? [t('residents60'), fmtInt(r.residents60)] : null,
      cov ? [t('coverage'), fmtPct(cov.ratio)] : null,
      cov && isNum(cov.ratio_60plus) ? [t('coverage60'), fmtPct(cov.ratio_60plus)] : null,
      cov && isNum(cov.area_ratio) ? [t('area_ratio'), fmtPct(cov.area_ratio)] : null,
      cov ? [t('facilities_sel'), fmtInt(cov.facilities)] : null,
      pt ? [t('floor_area'), fmtInt(pt.floor_area_m2) + ' m²'] : null,
      pt ? [t('per_thousand'), fmt1(pt.per_thousand_m2) + ' ' + t('per_thousand_unit')] : null,
      pt && isNum(pt.target_m2) ? [t('target'), fmt1(pt.target_m2) + ' ' + t('per_thousand_unit')] : null,
      pt && isNum(pt.surplus_m2) ? [t('surplus'), (pt.surplus_m2 >= 0 ? '+' : '') + fmtInt(pt.surplus_m2) + ' m²', pt.surplus_m2 >= 0 ? 'above' : 'below'] : null,
      pt && isNum(pt.rank) ? [t('rank'), `${pt.rank} / ${(data.perThousand.rows || []).length}`] : null,
    ];
    const sel = selectionLabel();
    return `<div class="popup"><h3>${esc(districtName(code, r.name))}</h3>
      <div class="sub">${esc(state.lang === 'en' ? r.name : (DISTRICT_EN[code] || ''))} · ${esc(code)} · ${esc(sel)}</div>${popupTable(rows)}</div>`;
  }
  function facilityPopup(p) {
    const rows = [
      [t('status'), esc(t(p.status))],
      isNum(p.floor_area_m2) ? [t('floor_area'), fmtInt(p.floor_area_m2) + ' m²'] : null,
      isNum(p.beds) ? [t('beds'), fmtInt(p.beds)] : null,
      isNum(p.meal_capacity_per_day) ? [t('meals'), fmtInt(p.meal_capacity_per_day)] : null,
      p.district_code ? [t('district_code'), esc(p.district_code) + ' ' + esc(districtNameOf(p.district_code))] : null,
      p.street_code ? [t('street'), esc(p.street_code)] : null,
      p.address ? [t('address'), esc(p.address)] : null,
      p.source ? [t('source'), esc(p.source)] : null,
    ];
    return `<div class="popup"><h3>${esc(p.name || p.id)}</h3>
      <div class="sub"><span style="color:${FAMILY_COLOR[p.family]}">●</span> ${esc(typeName(p.type))} · ${esc(p.id)}</div>${popupTable(rows)}</div>`;
  }
  function districtNameOf(code) {
    const d = data.districts.find((x) => x.code === code);
    return d ? districtName(code, d.name) : '';
  }
  function selectionLabel() {
    const fam = t(`family_${state.family}`);
    return state.type ? `${fam} · ${typeName(state.type)}` : `${fam} · ${t('all_types')}`;
  }

  // ---------------------------------------------------------------- table
  function renderTable() {
    const ths = document.querySelectorAll('#district-table th');
    ths.forEach((th) => {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.dataset.key === state.sort.key) th.classList.add(state.sort.dir === 'asc' ? 'sorted-asc' : 'sorted-desc');
      if (th.dataset.key === 'ratio') th.textContent = t(state.metric === 'coverage' ? 'col_coverage' : 'col_coverage60');
    });
    const rows = data.districts.map((d) => districtRow(d.code));
    const key = state.sort.key; const dir = state.sort.dir === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      let va = a[key]; let vb = b[key];
      if (key === 'name') { va = districtName(a.code, a.name); vb = districtName(b.code, b.name); return dir * String(va).localeCompare(String(vb), locale()); }
      if (!isNum(va) && !isNum(vb)) return a.code.localeCompare(b.code);
      if (!isNum(va)) return 1;
      if (!isNum(vb)) return -1;
      return dir * (va - vb) || a.code.localeCompare(b.code);
    });
    const tbody = document.querySelector('#district-table tbody');
    tbody.innerHTML = rows.map((r) => {
      const below = isNum(r.perThousand) && isNum(r.target) && r.perThousand < r.target;
      const above = isNum(r.perThousand) && isNum(r.target) && r.perThousand >= r.target;
      return `<tr data-code="${esc(r.code)}" class="${state.selected === r.code ? 'selected' : ''}">
        <td><span class="chip" style="background:${classify(r)}"></span>${esc(districtName(r.code, r.name))}</td>
        <td class="num">${fmtPeople(r.residents)}</td>
        <td class="num">${fmtPct(r.ratio)}</td>
        <td class="num">${fmtInt(r.facilities)}</td>
        <td class="num ${below ? 'below' : above ? 'above' : ''}">${fmt1(r.perThousand)}</td>
        <td class="num">${isNum(r.target) ? fmt1(r.target) : '–'}</td></tr>`;
    }).join('');
    const tfoot = document.querySelector('#district-table tfoot');
    const tot = data.coverage ? data.coverage.total : null; const city = data.perThousand ? data.perThousand.city : null;
    const totalRatio = tot ? (state.metric === 'coverage' ? tot.ratio : (isNum(tot.ratio_60plus) ? tot.ratio_60plus : tot.ratio)) : null;
    const residents = data.districts.reduce((s, d) => s + (isNum(d.population) ? d.population : 0), 0);
    tfoot.innerHTML = `<tr><td>${esc(t('city'))}</td><td class="num">${fmtPeople(residents || (tot && tot.residents))}</td>
      <td class="num">${fmtPct(totalRatio)}</td><td class="num">${fmtInt(tot ? tot.facilities : null)}</td>
      <td class="num">${fmt1(city ? city.per_thousand_m2 : null)}</td><td class="num">${city && isNum(city.target_m2) ? fmt1(city.target_m2) : '–'}</td></tr>`;
  }
  function selectDistrict(code, zoom, latlng) {
    state.selected = code;
    const d = data.districts.find((x) => x.code === code);
    styleDistricts();
    document.querySelectorAll('#district-table tbody tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.code === code));
    if (!d || !d.layer) return;
    if (zoom) map.fitBounds(d.layer.getBounds(), { padding: [30, 30], maxZoom: 14 });
    L.popup({ maxWidth: 320 }).setLatLng(latlng || d.labelPoint || d.layer.getBounds().getCenter())
      .setContent(districtPopup(code)).openOn(map);
  }

  // ---------------------------------------------------------------- legend, title, KPIs
  function renderLegend() {
    if (!ui.legendDiv) return;
    let html = '';
    if (state.metric === 'perThousand') {
      html += `<h4>${esc(t('metric_per_thousand'))}</h4>`;
      if (hasTarget()) {
        const labels = ['< 50%', '50–80%', '80–100%', '100–150%', '≥ 150%'];
        labels.forEach((l, i) => { html += `<div class="item"><i style="background:${TARGET_COLORS[i]}"></i>${l} ${esc(t('of_target'))}</div>`; });
        const city = data.perThousand.city;
        if (city && isNum(city.target_m2)) html += `<div class="note">${esc(t('target_note'))}${fmt1(city.target_m2)} ${esc(t('per_thousand_unit'))}</div>`;
      } else {
        const br = plainBreaks();
        const edges = [null, ...br, null];
        PLAIN_COLORS.forEach((c, i) => {
          const lo = edges[i]; const hi = edges[i + 1];
          const l = lo === null ? `< ${fmt1(hi)}` : hi === null ? `≥ ${fmt1(lo)}` : `${fmt1(lo)} – ${fmt1(hi)}`;
          html += `<div class="item"><i style="background:${c}"></i>${l}</div>`;
        });
        const city = data.perThousand ? data.perThousand.city : null;
        if (city && isNum(city.per_thousand_m2)) html += `<div class="note">${esc(t('citywide_mean'))}: ${fmt1(city.per_thousand_m2)} ${esc(t('per_thousand_unit'))}</div>`;
      }
    } else {
      html += `<h4>${esc(t(state.metric === 'coverage' ? 'metric_coverage' : 'metric_coverage60'))}</h4>`;
      const edges = [0, ...COVERAGE_BREAKS, 1];
      COVERAGE_COLORS.forEach((c, i) => {
        html += `<div class="item"><i style="background:${c}"></i>${Math.round(edges[i] * 100)}–${Math.round(edges[i + 1] * 100)}%</div>`;
      });
    }
    html += `<div class="item"><i style="background:${NO_DATA}"></i>${esc(t('legend_no_data'))}</div><div class="sep"></div>`;
    FAMILIES.forEach((f) => { html += `<div class="item"><i class="dot" style="background:${FAMILY_COLOR[f]}"></i>${esc(t('family_' + f))}</div>`; });
    html += `<div class="item"><i class="ring" style="border-color:${FAMILY_COLOR[state.family]}"></i>${esc(t('legend_planned'))}</div>`;
    html += `<div class="item"><i style="background:rgba(90,174,97,.45);border-color:#1b7837"></i>${esc(t('legend_service'))}</div>`;
    html += `<div class="item"><i class="dot" style="background:#b10026;outline:none;border:none"></i>${esc(t('legend_gap'))}</div>`;
    ui.legendDiv.innerHTML = html;
  }
  function renderTitle() {
    if (!ui.titleDiv) return;
    const metric = t(state.metric === 'perThousand' ? 'metric_per_thousand' : state.metric === 'coverage' ? 'metric_coverage' : 'metric_coverage60');
    const th = thresholdText();
    ui.titleDiv.innerHTML = `${esc(selectionLabel())}<small>${esc(metric)}${th ? ' · ' + esc(th) : ''}${state.profile ? ' · ' + esc(state.profile) : ''}</small>`;
  }
  function thresholdText() {
    const ths = data.coverage && data.coverage.thresholds ? data.coverage.thresholds : [];
    if (!ths.length) return '';
    const mins = [...new Set(ths.map((x) => x.minutes))].join('/');
    const walks = [...new Set(ths.map((x) => Math.round(x.walk_m)))].join('/');
    const radii = [...new Set(ths.map((x) => Math.round(x.radius_m)))].join('/');
    return state.lang === 'zh' ? `步行${mins}分钟 = ${walks} m（直线半径 ${radii} m）` : `${mins}-min walk = ${walks} m (straight line ${radii} m)`;
  }
  function renderSummary() {
    const tot = data.coverage ? data.coverage.total : null;
    const use60 = state.metric !== 'coverage' && tot && isNum(tot.ratio_60plus);
    const ratio = tot ? (use60 ? tot.ratio_60plus : tot.ratio) : null;
    const uncovered = tot ? (use60 ? tot.residents_60plus - tot.covered_60plus : tot.residents - tot.covered) : null;
    const kpis = [
      ['kpi-districts', fmtInt(data.districts.length), t('kpi_districts')],
      ['kpi-facilities', fmtInt(data.facilitiesMatched), t('kpi_facilities')],
      ['kpi-coverage', fmtPct(ratio), t(use60 ? 'kpi_coverage60' : 'kpi_coverage') + ' · ' + selectionLabel()],
      ['kpi-uncovered', fmtPeople(uncovered), t(use60 ? 'kpi_uncovered' : 'kpi_uncovered_all')],
    ];
    $('summary').innerHTML = kpis.map(([id, v, l]) => `<div class="kpi" id="${id}"><b>${esc(v)}</b><span>${esc(l)}</span></div>`).join('');
    $('threshold').textContent = thresholdText();
    $('dataset-title').textContent = data.title || '';
  }
  function renderErrors() {
    const box = $('error');
    if (!data.errors.length) { box.hidden = true; return; }
    box.hidden = false;
    box.textContent = t('error_partial') + data.errors.map((e) => e.replace(/^!/, '')).join('; ');
  }

  // ---------------------------------------------------------------- controls
  function applyI18n() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
    document.title = t('title') + ' · lifecircle';
    $('lang-toggle').textContent = state.lang === 'zh' ? 'EN' : '中文';
    fillTypes();
    fillProfiles();
  }
  function fillTypes() {
    const sel = $('type');
    const present = new Set(data.facilities.filter((f) => f.properties && f.properties.family === state.family).map((f) => f.properties.type));
    const types = TYPE_ORDER.filter((x) => present.has(x)).concat([...present].filter((x) => !TYPE_ORDER.includes(x)).sort());
    sel.innerHTML = `<option value="">${esc(t('all_types'))}</option>` +
      types.map((x) => `<option value="${esc(x)}">${esc(typeName(x))}</option>`).join('');
    // Before the facilities arrive the list is empty: keep the type the URL or default asked for.
    if (state.type && data.facilities.length && !present.has(state.type)) state.type = '';
    sel.value = state.type;
  }
  function fillProfiles() {
    const sel = $('profile');
    const s = data.standards;
    if (!s || !s.profiles) { sel.innerHTML = '<option value="">–</option>'; return; }
    sel.innerHTML = Object.entries(s.profiles).map(([id, p]) =>
      `<option value="${esc(id)}" title="${esc(p.title)}">${esc(id)}${id === s.default_profile ? ' ★' : ''}</option>`).join('');
    if (!state.profile || !s.profiles[state.profile]) state.profile = s.default_profile || Object.keys(s.profiles)[0];
    sel.value = state.profile;
    // The minutes box shows the profile's value for the selected type(s) until the user sets one.
    const access = (s.profiles[state.profile] || {}).access || {};
    const types = state.type ? [state.type] : Object.keys(access).filter((x) => data.facilities.some((f) => f.properties && f.properties.family === state.family && f.properties.type === x));
    const mins = [...new Set(types.map((x) => access[x] && access[x].minutes).filter(isNum))];
    $('minutes').placeholder = mins.length ? mins.join('/') : '15';
  }
  function readHash() {
    const h = new URLSearchParams(window.location.hash.replace(/^#/, ''));
    ['lang', 'metric', 'family', 'type', 'profile', 'minutes'].forEach((k) => { if (h.has(k)) state[k] = h.get(k); });
    if (!I18N[state.lang]) state.lang = 'zh';
    if (!FAMILIES.includes(state.family)) state.family = 'eldercare';
    if (!['coverage60', 'coverage', 'perThousand'].includes(state.metric)) state.metric = 'coverage60';
    if (!h.has('type')) state.type = DEFAULT_TYPE[state.family];
  }
  function writeHash() {
    const h = new URLSearchParams();
    ['lang', 'metric', 'family', 'type', 'profile', 'minutes'].forEach((k) => { if (state[k]) h.set(k, state[k]); });
    history.replaceState(null, '', '#' + h.toString());
  }
  function bindControls() {
    $('metric').value = state.metric;
    $('family').value = state.family;
    $('minutes').value = state.minutes;
    $('metric').addEventListener('change', (e) => { state.metric = e.target.value; writeHash(); renderAll(); });
    $('family').addEventListener('change', (e) => {
      state.family = e.target.value; state.type = DEFAULT_TYPE[state.family]; fillTypes(); fillProfiles(); writeHash(); refreshAnalysis();
    });
    $('type').addEventListener('change', (e) => { state.type = e.target.value; fillProfiles(); writeHash(); refreshAnalysis(); });
    $('profile').addEventListener('change', (e) => { state.profile = e.target.value; fillProfiles(); writeHash(); refreshAnalysis(); });
    let timer = null;
    $('minutes').addEventListener('input', (e) => {
      clearTimeout(timer);
      timer = setTimeout(() => { state.minutes = e.target.value; writeHash(); refreshAnalysis(); }, 350);
    });
    $('lang-toggle').addEventListener('click', () => {
      state.lang = state.lang === 'zh' ? 'en' : 'zh'; writeHash(); applyI18n(); renderAll(); map.closePopup();
    });
    const toggle = (id, layer) => $(id).addEventListener('change', (e) => {
      if (e.target.checked) map.addLayer(layer); else map.removeLayer(layer);
      if (id === 'layer-districts') updateLabels();
    });
    toggle('layer-districts', layers.districts);
    FAMILIES.forEach((f) => toggle(`layer-${f}`, layers[f]));
    toggle('layer-service-areas', layers.service);
    toggle('layer-gaps', layers.gaps);
    // The gap layer is fetched on first use and then follows the selection like the others.
    $('layer-gaps').addEventListener('change', (e) => { if (e.target.checked && !data.gaps) refreshAnalysis(); });
    document.querySelectorAll('#district-table th').forEach((th) => th.addEventListener('click', () => {
      const k = th.dataset.key;
      state.sort = { key: k, dir: state.sort.key === k && state.sort.dir === 'asc' ? 'desc' : 'asc' };
      renderTable();
    }));
    document.querySelector('#district-table tbody').addEventListener('click', (e) => {
      const tr = e.target.closest('tr');
      if (tr) selectDistrict(tr.dataset.code, true);
    });
  }

  function renderAll() {
    styleDistricts(); restyleFacilities(); renderTable(); renderLegend(); renderTitle(); renderSummary(); renderErrors(); updateLabels();
  }

  // ---------------------------------------------------------------- loading
  function setReady(ready) {
    document.documentElement.dataset.ready = ready ? 'true' : 'false';
    $('loading').hidden = ready;
    window.lifecircleReady = ready ? {
      districts: data.districts.length,
      tableRows: document.querySelectorAll('#district-table tbody tr').length,
      facilities: data.facilities.length,
      facilitiesMatched: data.facilitiesMatched,
      facilityMarkers: FAMILIES.reduce((n, f) => n + layers[f].getLayers().length, 0),
      serviceAreas: data.serviceAreas ? (data.serviceAreas.features || []).length : 0,
      gapCells: data.gaps ? (data.gaps.features || []).filter((f) => f.properties && f.properties.kind === 'cell').length : null,
      coverageTotal: data.coverage ? data.coverage.total : null,
      selection: { family: state.family, type: state.type, profile: state.profile, minutes: state.minutes, metric: state.metric },
      errors: data.errors.slice(),
    } : null;
  }

  function selectionParams() {
    return { family: state.family, type: state.type, profile: state.profile, minutes: state.minutes };
  }

  async function refreshAnalysis() {
    const token = ++refreshToken;
    setReady(false);
    const sel = selectionParams();
    const results = await Promise.allSettled([
      getJson(apiUrl('coverage', Object.assign({ by: 'district', f: 'json' }, sel))),
      getJson(apiUrl('indicators/per-thousand', { family: state.family, profile: state.profile, by: 'district', f: 'json' })),
      getJson(apiUrl('service-areas', Object.assign({ f: 'geojson' }, sel))),
      $('layer-gaps').checked ? getJson(apiUrl('coverage/gaps', Object.assign({ f: 'geojson' }, sel))) : Promise.resolve(null),
    ]);
    if (token !== refreshToken) return;  // a newer request superseded this one
    const [cov, pt, sa, gaps] = results;
    data.errors = data.errors.filter((e) => e.startsWith('!'));
    const take = (r) => { if (r.status === 'fulfilled') return r.value; data.errors.push(r.reason.message); return null; };
    data.coverage = take(cov); data.perThousand = take(pt); data.serviceAreas = take(sa); data.gaps = take(gaps);
    drawServiceAreas(); drawGaps(); renderAll();
    setReady(true);
  }

  async function start() {
    if (typeof L === 'undefined') {
      document.documentElement.dataset.ready = 'error';
      $('error').hidden = false; $('error').textContent = I18N.zh.no_leaflet + ' / ' + I18N.en.no_leaflet;
      return;
    }
    readHash();
    setupMap();
    applyI18n();
    const [landing, standards, districts, facilities] = await Promise.allSettled([
      getJson(apiUrl('', { f: 'json' })), getJson(apiUrl('standards')),
      getAllItems('districts'), getAllItems('facilities'),
    ]);
    // Base-data failures stay on screen (marked '!'); analysis errors are replaced on refresh.
    const fail = (r) => { data.errors.push('!' + r.reason.message); };
    if (landing.status === 'fulfilled') data.title = landing.value.title; else fail(landing);
    if (standards.status === 'fulfilled') data.standards = standards.value; else fail(standards);
    if (districts.status === 'fulfilled') {
      data.districts = districts.value.features.map((f) => Object.assign({ geometry: f.geometry }, f.properties));
    } else fail(districts);
    if (facilities.status === 'fulfilled') {
      data.facilities = facilities.value.features; data.facilitiesMatched = facilities.value.matched;
    } else fail(facilities);
    applyI18n();
    bindControls();
    drawDistricts();
    drawFacilities();
    if (layers.districts.getLayers().length) map.fitBounds(layers.districts.getBounds(), { padding: [12, 12] });
    await refreshAnalysis();
  }

  start().catch((e) => {
    data.errors.push(String(e && e.message ? e.message : e));
    renderErrors();
    setReady(true);
  });
})();

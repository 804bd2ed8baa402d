// Browser test of the map page: starts the real `lifecircle serve --port 0`, loads /map in
// Debian's headless Chromium (driven by playwright-core from web/node_modules), waits until the
// page reports that its data has drawn, checks what it shows against the API, exercises the
// table, popups, language toggle and controls, and saves screenshots.
//
// usage: node tests/web/map_test.mjs --binary build/lifecircle [--manifest M] [--artifacts DIR]
// Without --manifest it uses the shipped gis-data/shanghai/manifest.json when present, else the
// server test fixture.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const binary = path.resolve(args.binary || path.join(root, 'build', 'lifecircle'));
const shipped = path.join(root, 'gis-data', 'shanghai', 'manifest.json');
const manifest = path.resolve(args.manifest || (fs.existsSync(shipped) ? shipped : path.join(root, 'tests', 'data', 'server', 'manifest.json')));
const artifacts = path.resolve(args.artifacts || path.join(root, 'tests', 'artifacts'));
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let failures = 0;
function check(cond, what) {
  console.log(`${cond ? 'ok  ' : 'FAIL'} ${what}`);
  if (!cond) failures += 1;
}

let playwright;
try {
  playwright = createRequire(path.join(root, 'web', 'package.json'))('playwright-core');
} catch (e) {
  console.error('playwright-core is not installed in web/node_modules: run scripts/setup-web.sh');
  process.exit(1);
}

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, ['serve', '--data', manifest, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = ''; let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${err}`)), 60000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve({ proc, url: m[1] }); }
    });
    proc.stderr.on('data', (d) => { err += d; });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${err}`)); });
  });
}

async function getJson(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return res.json();
}

const t0 = Date.now();
console.log(`manifest: ${manifest}`);
const { proc, url } = await startServer();
console.log(`server: ${url} (${Date.now() - t0} ms)`);
let browser;
let userDir;
try {
  const apiDistricts = (await getJson(`${url}/collections/districts/items?limit=1`)).numberMatched;
  const apiFacilities = (await getJson(`${url}/collections/facilities/items?limit=1`)).numberMatched;
  console.log(`API: ${apiDistricts} districts, ${apiFacilities} facilities`);

  // A new empty profile, and nothing that phones home: the page must work offline.
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lifecircle-chromium-'));
  browser = await playwright.chromium.launchPersistentContext(userDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    viewport: { width: 1600, height: 1000 },
    deviceScaleFactor: 1,
    locale: 'zh-CN',
  });
  const page = browser.pages()[0] || await browser.newPage();
  const foreign = []; const consoleErrors = []; const failed = [];
  page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) foreign.push(r.url()); });
  page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  const tLoad = Date.now();
  await page.goto(`${url}/map`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true', null, { timeout: 45000 });
  const ready = await page.evaluate(() => window.lifecircleReady);
  console.log(`page ready in ${Date.now() - tLoad} ms: ${JSON.stringify({ ...ready, coverageTotal: undefined })}`);

  check(ready.errors.length === 0, `no endpoint errors (${ready.errors.join('; ')})`);
  check(ready.districts === apiDistricts, `districts drawn ${ready.districts} = API numberMatched ${apiDistricts}`);
  if (manifest === shipped) check(ready.districts === 16, 'the 16 districts of Shanghai');
  const rows = await page.locator('#district-table tbody tr').count();
  check(rows === apiDistricts, `table rows ${rows} = ${apiDistricts}`);
  check(ready.facilitiesMatched === apiFacilities, `facilities reported ${ready.facilitiesMatched} = API numberMatched ${apiFacilities}`);
  check(ready.facilityMarkers === apiFacilities, `facility markers on the map ${ready.facilityMarkers} = ${apiFacilities}`);
  const kpi = await page.locator('#kpi-facilities b').innerText();
  check(Number(kpi.replace(/[^0-9]/g, '')) === apiFacilities, `the header shows ${kpi} facilities`);
  check(ready.serviceAreas > 0, `service-area polygons drawn (${ready.serviceAreas})`);
  const cov = await getJson(`${url}/coverage?family=eldercare&type=comprehensive_center&by=district`);
  const ratio = cov.total.ratio_60plus ?? cov.total.ratio;
  const kpiCov = await page.locator('#kpi-coverage b').innerText();
  check(kpiCov === `${(100 * ratio).toFixed(1)}%`, `header coverage ${kpiCov} = API ${(100 * ratio).toFixed(1)}%`);
  const legend = await page.locator('.legend').innerText();
  check(/75–100%/.test(legend), 'legend shows the coverage classes');
  check(await page.locator('.leaflet-control-scale-line').count() === 1, 'scale bar present');
  const canvases = await page.locator('#map canvas').count();
  check(canvases > 0, `map drew on ${canvases} canvas(es)`);

  fs.mkdirSync(artifacts, { recursive: true });
  await page.waitForTimeout(300);  // let the last canvas frame paint
  await page.screenshot({ path: path.join(artifacts, 'map.png') });
  console.log(`screenshot: ${path.join(artifacts, 'map.png')}`);

  // Sort by residents, descending: the first row is the most populous district.
  const th = page.locator('#district-table th[data-key="residents"]');
  await th.click(); await th.click();
  const sortedFirst = await page.locator('#district-table tbody tr').first().getAttribute('data-code');
  const districts = (await getJson(`${url}/collections/districts/items?limit=1000`)).features.map((f) => f.properties);
  const most = districts.reduce((a, b) => ((b.population || 0) > (a.population || 0) ? b : a));
  check(sortedFirst === most.code, `sorted by residents: first ${sortedFirst} = most populous ${most.code}`);

  // A row zooms the map and opens the district's popup with its numbers.
  const view = () => page.evaluate(() => { const m = window.lifecircleMap; const c = m.getCenter(); return `${m.getZoom()} ${c.lat.toFixed(5)} ${c.lng.toFixed(5)}`; });
  const zoomBefore = await view();
  await page.locator('#district-table tbody tr').first().click();
  await page.waitForSelector('.leaflet-popup-content .popup', { timeout: 5000 });
  const popup = await page.locator('.leaflet-popup-content').innerText();
  check(popup.includes(most.name), `row click opens the popup of ${most.name}`);
  check(/常住人口/.test(popup), 'popup lists residents');
  await page.waitForTimeout(400);
  const zoomAfter = await view();
  check(zoomBefore !== zoomAfter, `row click moved the map (${zoomBefore} -> ${zoomAfter})`);

  // The uncovered residents: fetched when the layer is switched on, every uncovered cell drawn.
  await page.check('#layer-gaps');
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && window.lifecircleReady.gapCells !== null, null, { timeout: 45000 });
  const gapsPage = await page.evaluate(() => window.lifecircleReady);
  const gapsApi = await getJson(`${url}/coverage/gaps?family=eldercare&type=comprehensive_center`);
  check(gapsPage.errors.length === 0, `gap layer loads without errors (${gapsPage.errors.join('; ')})`);
  check(gapsPage.gapCells === gapsApi.cells, `uncovered cells on the map ${gapsPage.gapCells} = API ${gapsApi.cells}`);
  await page.evaluate(() => { window.lifecircleMap.closePopup(); });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'map-district-gaps.png') });

  // English labels.
  await page.click('#lang-toggle');
  const h1 = await page.locator('h1').innerText();
  check(h1 === 'Shanghai life-circle facility planning', `language toggle: "${h1}"`);

  // Per-thousand floor area with the standards' target classes.
  await page.selectOption('#metric', 'perThousand');
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  const legend2 = await page.locator('.legend').innerText();
  check(/of target/.test(legend2), 'per-thousand legend classes are relative to the target');

  // Meal sites: the analysis reruns and the map stays consistent.
  await page.selectOption('#family', 'meal');
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' && window.lifecircleReady.selection.family === 'meal', null, { timeout: 30000 });
  const meal = await page.evaluate(() => window.lifecircleReady);
  check(meal.errors.length === 0, `meal family answers without errors (${meal.errors.join('; ')})`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artifacts, 'map-en-meal.png') });

  check(foreign.length === 0, `no request left the machine (${foreign.slice(0, 3).join(', ')})`);
  check(failed.length === 0, `no failed requests (${failed.slice(0, 3).join(', ')})`);
  check(consoleErrors.length === 0, `no console errors (${consoleErrors.slice(0, 3).join(' | ')})`);
} catch (e) {
  console.error(e);
  failures += 1;
} finally {
  if (browser) await browser.close().catch(() => {});
  proc.kill('SIGTERM');
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
}
console.log(`${failures === 0 ? 'PASS' : 'FAIL'}: map page (${Date.now() - t0} ms)`);
process.exit(failures === 0 ? 0 : 1);
